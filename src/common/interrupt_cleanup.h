// Removing our temporary files when the process is killed by SIGINT, SIGTERM or SIGHUP (a
// Ctrl-C in `make -j40`), so an interrupted build leaves no .tmp files beside its objects, no
// directories in $TMPDIR and no stale state files for the monitors.
//
// This is the one place with process-wide mutable state: a signal handler cannot reach any
// object, so the paths to remove live in a fixed table the handler can walk without allocating
// or locking. Destructors still do the normal cleanup; the table only matters when no destructor
// will run.
#pragma once

#include <sys/types.h>

#include <string>

namespace dcc {

enum class CleanupKind { file, directory };  // a directory's entries are removed, then it

// Registers a path for removal on a fatal signal while this object lives. Movable, not copyable.
// When the table is full the path is simply not registered (cleanup is best effort).
class InterruptCleanup {
 public:
  InterruptCleanup() = default;
  InterruptCleanup(const std::string& path, CleanupKind kind);
  // The process group led by `leader`, a child of this process. Groups are killed (SIGKILL) and
  // waited for before any path is removed: a preprocessor left running when only distcc got the
  // signal (make, kill) would otherwise go on writing the files being removed (the .d temp file).
  static InterruptCleanup for_process_group(pid_t leader);
  InterruptCleanup(InterruptCleanup&& other) noexcept;
  InterruptCleanup& operator=(InterruptCleanup&& other) noexcept;
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;
  ~InterruptCleanup();

  void release();  // the path is no longer ours to remove (committed, kept)

 private:
  int slot_ = -1;
};

// Installs the handler for SIGINT, SIGTERM and SIGHUP: remove the registered paths, then die of
// the same signal (so make sees the same status as without us). Called once by the client's main.
void install_interrupt_cleanup();

}  // namespace dcc
