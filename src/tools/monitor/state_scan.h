// Reads every job in a state directory the way distcc 3.4's monitors do (mon.c): only names
// starting "binstate_"; files not touched for more than 60 s are left over from killed clients
// and deleted; records that do not decode are skipped; a job whose process is gone is dropped
// unless it is Done; the rest sorted by host, then slot.
//
// Deliberate differences, none visible in the output for honest files: files are opened
// non-blocking and anything but a regular file is skipped (a FIFO named binstate_x hangs 3.4);
// a missing state directory is an empty list, not an error, and is never created (3.4 creates
// it, and a root-run monitor then leaves a root-owned directory the build's clients cannot
// write); pid 0 and pids beyond pid_t are no process (3.4 lets kill() treat them as process
// groups, so they look alive).
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "tools/monitor/task_record.h"

namespace dcc::monitor {

inline constexpr std::time_t kStateMaxAgeSeconds = 60;  // 3.4's dcc_phase_max_age

struct StateScan {
  std::vector<MonitorTask> tasks;     // in display order
  std::vector<std::string> warnings;  // one line each, naming the file
};

// Whether a client process still exists; injected so tests need no real processes.
using ProcessProbe = std::function<bool(unsigned long pid)>;

// kill(pid, 0): exists, or exists but belongs to someone else (EPERM), as 3.4 decides.
bool process_exists(unsigned long pid);

// Fails only when the directory exists but cannot be listed (3.4's exit code 107).
Result<StateScan> scan_state_dir(const std::string& dir, std::time_t now, const ProcessProbe& alive);

}  // namespace dcc::monitor
