// The per-process state file monitors read: $DISTCC_DIR/state/binstate_<pid>, in the binary
// layout of distcc 3.4's `struct dcc_task_state`, so the stock distccmon-text and
// distccmon-gnome show our jobs too.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/interrupt_cleanup.h"
#include "common/task_state_record.h"

namespace dcc {

struct TaskState {
  pid_t pid = 0;
  std::string file;  // the input's base name
  std::string host;  // host name, or "localhost"
  int slot = 0;
  TaskPhase phase = TaskPhase::startup;
};

// The record's bytes in this machine's native layout (296 bytes on LP64 Linux). Names longer
// than 127 bytes are cut, as 3.4 does.
std::string encode_task_state(const TaskState& state);

// Writes the record on every phase change (atomically: a monitor never reads half a record)
// and removes the file when the job is over.
class TaskStateFile {
 public:
  // An empty state_dir makes every call a no-op (DISTCC_DIR unusable).
  TaskStateFile(std::string state_dir, pid_t pid);
  ~TaskStateFile();
  TaskStateFile(const TaskStateFile&) = delete;
  TaskStateFile& operator=(const TaskStateFile&) = delete;

  void set_file(std::string_view input_path);
  void set_host(std::string_view host, int slot);
  void set_phase(TaskPhase phase);

 private:
  void write();
  std::string path_;
  std::string temp_path_;
  TaskState state_;
  bool written_ = false;
  InterruptCleanup on_signal_;
};

}  // namespace dcc
