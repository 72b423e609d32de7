#include "tools/monitor/gui_options.h"

#include <cmath>
#include <cstdlib>

namespace dcc::monitor {
namespace {

Error bad_arguments(const std::string& message) {
  return make_error(ExitCode::bad_arguments, message + " (see --help)");
}

Result<std::chrono::milliseconds> parse_interval(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return bad_arguments("bad --interval '" + text + "': " + why);
  };
  char* end = nullptr;
  double seconds = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(seconds))
    return bad("expected a number of seconds, like 0.5 or 2");
  if (seconds < kMinIntervalSeconds || seconds > kMaxIntervalSeconds)
    return bad("must be between 0.1 and 60 seconds");
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

// Splits "--name=value" or takes the value from the next argument; nullopt if `arg` is not
// this option at all.
std::optional<Result<std::string>> option_value(std::span<const std::string> args, std::size_t& i,
                                                std::string_view long_name,
                                                std::string_view short_name) {
  const std::string& arg = args[i];
  if (arg.starts_with(std::string(long_name) + "="))
    return Result<std::string>(arg.substr(long_name.size() + 1));
  if (arg != long_name && (short_name.empty() || arg != short_name)) return std::nullopt;
  if (i + 1 >= args.size()) return Result<std::string>(bad_arguments(arg + " needs a value"));
  return Result<std::string>(args[++i]);
}

}  // namespace

Result<GuiOptions> parse_gui_options(std::span<const std::string> args) {
  GuiOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      options.action = GuiAction::help;
      return options;
    }
    if (arg == "--version") {
      options.action = GuiAction::version;
      return options;
    }
    if (auto value = option_value(args, i, "--interval", "-i")) {
      if (!*value) return value->error();
      auto interval = parse_interval(**value);
      if (!interval) return interval.error();
      options.interval = *interval;
      continue;
    }
    if (auto value = option_value(args, i, "--display", "")) {
      if (!*value) return value->error();
      if ((*value)->empty()) return bad_arguments("--display needs a display name, like :0");
      options.display = **value;
      continue;
    }
    if (arg.starts_with("-")) return bad_arguments("unknown option " + arg);
    return bad_arguments("unexpected argument '" + arg + "'");
  }
  return options;
}

std::string_view gui_usage() {
  return R"(Usage: distccmon-gui [OPTION...]
       distccmon-gnome [OPTION...]

Shows the distcc jobs of this user in a window: one row per host and slot with the
file being compiled, its phase and a coloured strip of the slot's recent phases;
the status bar shows this machine's load average. Reads $DISTCC_DIR/state
(default ~/.distcc/state). Close the window to quit.

  -i, --interval SECONDS  refresh every SECONDS (fractional, 0.1 to 60; default 0.5)
  --display DISPLAY       the X display to use (default $DISPLAY)
  -h, --help              show this help and exit
  --version               show the version and exit

Exit status: 0 when the window is closed, 1 for a bad command line or when no
display can be opened.
)";
}

}  // namespace dcc::monitor
