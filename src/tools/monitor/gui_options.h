// distccmon-gui's command line: --interval, --display, --help, --version. Parsed before GTK is
// touched, so --help and --version work without a display.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcc::monitor {

enum class GuiAction { run, help, version };

// 3.4 refreshes every 500 ms; slower than a minute or faster than 10 per second is surely a typo.
inline constexpr std::chrono::milliseconds kDefaultInterval{500};
inline constexpr double kMinIntervalSeconds = 0.1;
inline constexpr double kMaxIntervalSeconds = 60;

struct GuiOptions {
  GuiAction action = GuiAction::run;
  std::chrono::milliseconds interval = kDefaultInterval;
  std::optional<std::string> display;  // X display; none: $DISPLAY, as every GTK program
};

// args excludes the program name. Accepts "--interval S", "--interval=S", "-i S", and the same
// for --display. A bad one is an error naming it; the caller exits 1.
Result<GuiOptions> parse_gui_options(std::span<const std::string> args);

std::string_view gui_usage();

}  // namespace dcc::monitor
