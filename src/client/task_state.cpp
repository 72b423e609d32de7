#include "client/task_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>

#include "common/fd_io.h"
#include "common/unique_fd.h"

namespace dcc {
namespace {

void copy_name(char (&dest)[128], std::string_view src) {
  std::size_t n = std::min(src.size(), sizeof dest - 1);
  std::memcpy(dest, src.data(), n);
}

}  // namespace

std::string encode_task_state(const TaskState& state) {
  TaskStateRecord record;
  std::memset(&record, 0, sizeof record);
  record.struct_size = sizeof record;
  record.magic = kTaskStateMagic;
  record.cpid = static_cast<unsigned long>(state.pid);
  copy_name(record.file, state.file);
  copy_name(record.host, state.host);
  record.slot = state.slot;
  record.curr_phase = static_cast<unsigned>(state.phase);
  return std::string(reinterpret_cast<const char*>(&record), sizeof record);
}

TaskStateFile::TaskStateFile(std::string state_dir, pid_t pid) {
  state_.pid = pid;
  if (state_dir.empty()) return;
  // Monitors only look at names starting "binstate_", so the temp name must not.
  path_ = state_dir + "/binstate_" + std::to_string(pid);
  temp_path_ = state_dir + "/tmp_binstate_" + std::to_string(pid);
  on_signal_ = InterruptCleanup(path_, CleanupKind::file);
}

TaskStateFile::~TaskStateFile() {
  if (written_) ::unlink(path_.c_str());
}

void TaskStateFile::set_file(std::string_view input_path) {
  auto slash = input_path.rfind('/');
  state_.file = std::string(slash == std::string_view::npos ? input_path : input_path.substr(slash + 1));
}

void TaskStateFile::set_host(std::string_view host, int slot) {
  state_.host = std::string(host);
  state_.slot = slot;
}

void TaskStateFile::set_phase(TaskPhase phase) {
  state_.phase = phase;
  write();
}

void TaskStateFile::write() {
  if (path_.empty()) return;
  std::string bytes = encode_task_state(state_);
  UniqueFd fd(::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (!fd) return;  // monitoring is best effort; the compile goes on
  if (!write_all(fd.get(), bytes, Millis{1000}, "state file") || ::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    ::unlink(temp_path_.c_str());
    return;
  }
  written_ = true;
}

}  // namespace dcc
