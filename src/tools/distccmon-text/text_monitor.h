// The distccmon-text loop: scan the state directory, print the block, wait, repeat.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "common/exit_code.h"

namespace dcc::monitor {

struct TextMonitorConfig {
  std::string state_dir;
  std::chrono::nanoseconds delay{0};  // zero: one block only
};

// Blocks go to `out`, warnings and errors (one line each) to `err`. Returns when the single
// block is printed, when the directory cannot be read (io_error, as 3.4) or when `out` fails
// (a closed pipe); otherwise runs until the process is killed.
ExitCode run_text_monitor(const TextMonitorConfig& config, std::FILE* out, std::FILE* err);

}  // namespace dcc::monitor
