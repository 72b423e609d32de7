#include "client/scan_includes.h"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>

#include "pump/include_analyzer.h"
#include "pump/scan_report.h"

namespace dcc {

int run_scan_includes(const std::vector<std::string>& compile_argv, Logger& log) {
  char cwd[PATH_MAX];
  if (::getcwd(cwd, sizeof cwd) == nullptr) {
    log.error(std::string("cannot get the working directory: ") + std::strerror(errno));
    return to_int(ExitCode::distcc_failed);
  }
  pump::IncludeAnalyzer analyzer;
  auto analysis = analyzer.analyze(compile_argv, cwd);
  if (!analysis) {
    log.error(analysis.error().message);
    return to_int(analysis.error().code);
  }
  std::cout << pump::format_scan_report(*analysis) << std::flush;
  return 0;
}

}  // namespace dcc
