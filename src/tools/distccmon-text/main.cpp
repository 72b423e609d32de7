// distccmon-text [DELAY]: shows this user's running distcc jobs, as distcc 3.4's does.
#include <cstdio>
#include <string>
#include <vector>

#include "common/environment.h"
#include "tools/distccmon-text/text_monitor.h"
#include "tools/distccmon-text/text_options.h"
#include "tools/monitor/state_dir.h"

#ifndef DCC_VERSION
#define DCC_VERSION "0.1.0"
#endif

int main(int argc, char** argv) {
  // Often read through a pipe (watch, grep, a GUI); line buffering shows each job as it prints.
  std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  auto options = dcc::monitor::parse_text_options(args);
  if (!options) {
    std::fprintf(stderr, "distccmon-text: %s\n", options.error().message.c_str());
    return 1;  // 3.4 exits 1 for any bad command line
  }
  switch (options->action) {
    case dcc::monitor::TextAction::help:
      std::fputs(std::string(dcc::monitor::text_usage()).c_str(), stdout);
      return 0;
    case dcc::monitor::TextAction::version:
      std::printf("distccmon-text 3.4-compatible (distcc-cpp %s)\n", DCC_VERSION);
      return 0;
    case dcc::monitor::TextAction::run:
      break;
  }
  dcc::monitor::TextMonitorConfig config;
  config.state_dir = dcc::monitor::state_dir_from_env(dcc::snapshot_environment());
  config.delay = options->delay;
  return dcc::to_int(dcc::monitor::run_text_monitor(config, stdout, stderr));
}
