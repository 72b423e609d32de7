#include "tools/monitor/task_record.h"

#include <algorithm>
#include <cstring>

namespace dcc::monitor {
namespace {

// The bytes up to the first NUL; a name filling its whole array loses its last byte, as 3.4
// overwrites it with a NUL before printing.
template <std::size_t N>
std::string c_name(const char (&field)[N]) {
  std::string_view view(field, N - 1);
  return std::string(view.substr(0, view.find('\0')));
}

}  // namespace

std::string_view problem_text(RecordProblem problem) {
  switch (problem) {
    case RecordProblem::truncated: return "short read";
    case RecordProblem::wrong_magic: return "wrong magic number";
    case RecordProblem::wrong_size: return "wrong structure size: version mismatch?";
  }
  return "unknown problem";
}

std::variant<MonitorTask, RecordProblem> decode_task_record(std::string_view bytes) {
  if (bytes.size() < kTaskRecordSize) return RecordProblem::truncated;
  RawTaskRecord raw;
  std::memcpy(&raw, bytes.data(), kTaskRecordSize);
  // Same order of checks as 3.4, so both warn about the same thing for the same file.
  if (raw.magic != kTaskRecordMagic) return RecordProblem::wrong_magic;
  if (raw.struct_size != kTaskRecordSize) return RecordProblem::wrong_size;
  MonitorTask task;
  task.pid = raw.cpid;
  task.file = c_name(raw.file);
  task.host = c_name(raw.host);
  task.slot = raw.slot;
  unsigned phase = raw.curr_phase;
  task.phase = phase > static_cast<unsigned>(Phase::done) ? Phase::compile : static_cast<Phase>(phase);
  return task;
}

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::startup: return "Startup";
    case Phase::blocked: return "Blocked";
    case Phase::connect: return "Connect";
    case Phase::preprocess: return "Preprocess";
    case Phase::send: return "Send";
    case Phase::compile: return "Compile";
    case Phase::receive: return "Receive";
    case Phase::done: return "Done";
  }
  return "Unknown";
}

void sort_for_display(std::vector<MonitorTask>& tasks) {
  // std::string compares its chars as unsigned, like strcmp; names hold no NUL.
  std::stable_sort(tasks.begin(), tasks.end(), [](const MonitorTask& a, const MonitorTask& b) {
    if (int c = a.host.compare(b.host); c != 0) return c < 0;
    return a.slot < b.slot;
  });
}

}  // namespace dcc::monitor
