// One job as distcc 3.4's monitors see it: the record a client keeps in
// $DISTCC_DIR/state/binstate_<pid> (written by src/client/task_state.cpp, or by a stock 3.4
// client), decoded without trusting a byte of it: any file in the state directory may be
// truncated, from another distcc version, or hostile.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/task_state_record.h"

namespace dcc::monitor {

// The record's layout is common/task_state_record.h, shared with the client that writes it.
using Phase = TaskPhase;
using RawTaskRecord = TaskStateRecord;
inline constexpr std::size_t kTaskRecordSize = kTaskStateRecordSize;
inline constexpr unsigned long kTaskRecordMagic = kTaskStateMagic;

struct MonitorTask {
  unsigned long pid = 0;  // as on disk; 3.4 prints it as a long
  Phase phase = Phase::startup;
  std::string file;  // base name of the input, at most 127 bytes
  std::string host;  // host name or "localhost", at most 127 bytes
  int slot = 0;
  bool operator==(const MonitorTask&) const = default;
};

// Why a record is not shown. 3.4 warns about the last two and silently skips short files (a
// 3.4 client truncates the file before rewriting it, so a short read is only bad timing).
enum class RecordProblem { truncated, wrong_magic, wrong_size };
std::string_view problem_text(RecordProblem problem);

// Decodes the first kTaskRecordSize bytes; like 3.4, which reads one record's worth, anything
// after them is ignored. Names are cut at their first NUL or at 127 bytes, and a phase number
// beyond Done shows as Compile, both as 3.4 does.
std::variant<MonitorTask, RecordProblem> decode_task_record(std::string_view bytes);

// The names 3.4 prints: "Startup", "Blocked", "Connect", "Preprocess", "Send", "Compile",
// "Receive", "Done".
std::string_view phase_name(Phase phase);

// 3.4's display order: by host name (byte order, as strcmp), then slot; ties keep the order
// the records were found in (3.4 inserts each new record after its equals).
void sort_for_display(std::vector<MonitorTask>& tasks);

}  // namespace dcc::monitor
