// Compilers left behind by a worker that died. A compiler runs in its own process group, so when
// its worker is SIGKILLed (by an operator, the OOM killer) nothing kills it: it would run on,
// unaccounted for, as an orphan. The daemon's parent is the child subreaper of its workers, so
// such orphans become its children, and after a worker dies it kills every child that is not a
// worker.
#pragma once

#include <sys/types.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dcc {

// The parent pid in a /proc/PID/stat line ("pid (comm) state ppid ..."; comm may contain spaces
// and parentheses, so the last ')' ends it).
std::optional<pid_t> parent_pid_from_stat(std::string_view stat_line);

// Makes this process the subreaper of its descendants (Linux); false if the kernel refuses.
bool become_subreaper();

// This process's children that are not in `workers`: orphans adopted as subreaper.
std::vector<pid_t> adopted_children(const std::set<pid_t>& workers);

// SIGKILLs each orphan's process group (a compiler leads its own) and the orphan itself; they
// are reaped like any child. Returns how many there were.
int kill_adopted_children(const std::set<pid_t>& workers);

// A worker's job temp dirs are named after it ("distccd_w<pid>_XXXXXX"), so that when it is
// killed outright the parent can remove what it left: nothing else could.
std::string job_temp_prefix(pid_t worker);

// Removes the job temp dirs of `worker` under `root`; returns how many there were.
int remove_job_temp_dirs(const std::string& root, pid_t worker);

}  // namespace dcc
