#include "tools/distccmon-text/text_options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace dcc::monitor {
namespace {

Result<std::chrono::nanoseconds> parse_delay(const std::string& text) {
  auto bad = [&](std::string_view why) {
    return make_error(ExitCode::bad_arguments, "bad DELAY '" + text + "': " + std::string(why) + " (see --help)");
  };
  if (text.empty()) return bad("expected a number of seconds, like 2 or 0.5");
  char* end = nullptr;
  errno = 0;
  double seconds = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !std::isfinite(seconds)) return bad("expected a number of seconds, like 2 or 0.5");
  if (seconds < 0) return bad("must not be negative");
  if (seconds > kMaxDelaySeconds) return bad("longer than a day");
  return std::chrono::nanoseconds(std::llround(seconds * 1e9));
}

}  // namespace

Result<TextOptions> parse_text_options(std::span<const std::string> args) {
  TextOptions options;
  if (args.empty()) return options;
  const std::string& first = args[0];
  if (first == "--help" || first == "-h") {
    options.action = TextAction::help;
    return options;
  }
  if (first == "--version") {
    options.action = TextAction::version;
    return options;
  }
  if (args.size() > 1) return make_error(ExitCode::bad_arguments, "too many arguments: expected at most one DELAY (see --help)");
  // "-1" reaches parse_delay and is refused as negative; "--foo" is no number at all.
  if (first.starts_with("--")) return make_error(ExitCode::bad_arguments, "unknown option " + first + " (see --help)");
  auto delay = parse_delay(first);
  if (!delay) return delay.error();
  options.delay = *delay;
  return options;
}

std::string_view text_usage() {
  return R"(Usage: distccmon-text [DELAY]

Shows the distcc jobs of this user that are running now, one line each:
  PID  PHASE  FILE  HOST[SLOT]
and a blank line after the list. Reads $DISTCC_DIR/state (default ~/.distcc/state).

  DELAY           show the list again every DELAY (fractional) seconds until
                  interrupted; without it, show it once
  -h, --help      show this help and exit
  --version       show the version and exit

Exit status: 0, 1 for a bad command line, 107 if the state directory cannot be read.
)";
}

}  // namespace dcc::monitor
