// ChildProcess: a spawned program that is always reaped. If the owner lets go of a child that is
// still running, the destructor kills it (its whole process group when it has its own) and waits.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/interrupt_cleanup.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace dcc {

struct SpawnOptions {
  std::vector<std::string> argv;            // argv[0] is looked up on PATH unless it contains '/'
  std::optional<std::string> cwd;
  // -1 inherits ours; kDevNull connects /dev/null.
  static constexpr int kDevNull = -2;
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool new_process_group = false;
  // With new_process_group: if this process dies of SIGINT/SIGTERM/SIGHUP (interrupt_cleanup.h),
  // the child's whole group is killed first, so it cannot write files after the cleanup.
  bool kill_on_interrupt = false;
  std::vector<std::pair<std::string, std::string>> set_env;  // added or replaced in the child
  std::optional<std::string> path;                            // PATH used to find argv[0]
};

class ChildProcess {
 public:
  // Fails with compiler_missing when the program cannot be found or executed.
  static Result<ChildProcess> spawn(const SpawnOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // A descriptor that becomes readable when the child exits (pidfd), or -1 where unsupported.
  int exit_fd() const { return pidfd_.get(); }

  Result<int> wait();                 // blocks; returns the raw wait status
  std::optional<int> try_wait();      // the wait status if it has exited
  // The wait status if it exits within `timeout`: lets an owner give a child that was asked to
  // finish (its input closed) a grace period before the destructor kills it.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  void kill(int signal);              // its process group if it has one

 private:
  ChildProcess(pid_t pid, bool own_group);
  void kill_and_reap();
  void reaped();  // the pid is no longer ours

  pid_t pid_ = -1;
  bool own_group_ = false;
  UniqueFd pidfd_;
  InterruptCleanup on_interrupt_;
};

// The executable `name` would run as with this PATH (names containing '/' are returned as is).
// We search ourselves so the PATH for the lookup can differ from our own. `skip_distcc_dirs`
// ignores directories whose path contains "distcc" (masquerade dirs), as 3.4's dcc_which does.
std::optional<std::string> find_program(const std::string& name, const std::string& path,
                                        bool skip_distcc_dirs = false);

// Converts a wait status to the exit code a shell would report (signal -> 128 + signo).
int exit_code_of(int wait_status);

// Runs a program to completion and captures its stdout and stderr (small outputs only).
struct CapturedRun {
  int wait_status = 0;
  std::string out;
  std::string err;
};
Result<CapturedRun> run_capture(const std::vector<std::string>& argv,
                                std::optional<std::string> path = std::nullopt,
                                std::vector<std::pair<std::string, std::string>> set_env = {});

}  // namespace dcc
