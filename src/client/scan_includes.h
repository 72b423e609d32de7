// `distcc --scan-includes COMPILE-COMMAND`: runs pump mode's include analysis in-process and
// prints what would be sent, in distcc 3.4's format. No include server is needed.
#pragma once

#include <string>
#include <vector>

#include "common/logger.h"

namespace dcc {

// Prints the report on stdout and returns 0, or logs why analysis gave up and returns that
// error's exit code.
int run_scan_includes(const std::vector<std::string>& compile_argv, Logger& log);

}  // namespace dcc
