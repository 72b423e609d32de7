// distccmon-gui (also installed as distccmon-gnome): shows this user's running distcc jobs in a
// window, as distcc 3.4's distccmon-gnome does.
#include <cstdio>
#include <string>
#include <vector>

#include "common/environment.h"
#include "tools/distccmon-gui/monitor_window.h"
#include "tools/monitor/gui_options.h"
#include "tools/monitor/state_dir.h"

#ifndef DCC_VERSION
#define DCC_VERSION "0.1.0"
#endif

namespace {

std::string program_name(int argc, char** argv) {
  if (argc < 1 || argv[0] == nullptr) return "distccmon-gui";
  std::string path = argv[0];
  return path.substr(path.find_last_of('/') + 1);  // npos + 1 == 0: no slash
}

}  // namespace

int main(int argc, char** argv) {
  const std::string program = program_name(argc, argv);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  auto options = dcc::monitor::parse_gui_options(args);
  if (!options) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), options.error().message.c_str());
    return 1;
  }
  switch (options->action) {
    case dcc::monitor::GuiAction::help:
      std::fputs(std::string(dcc::monitor::gui_usage()).c_str(), stdout);
      return 0;
    case dcc::monitor::GuiAction::version:
      std::printf("%s 3.4-compatible (distcc-cpp %s)\n", program.c_str(), DCC_VERSION);
      return 0;
    case dcc::monitor::GuiAction::run:
      break;
  }
  const dcc::Environment env = dcc::snapshot_environment();
  dcc::monitor::GuiMonitorConfig config;
  config.program = program;
  config.state_dir = dcc::monitor::state_dir_from_env(env);
  config.interval = options->interval;
  config.display = options->display;
  config.display_for_messages =
      options->display ? *options->display : dcc::lookup_env(env, "DISPLAY").value_or("");
  return dcc::monitor::run_gui_monitor(config) ? 0 : 1;
}
