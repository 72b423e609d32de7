// distccmon-text's command line: `distccmon-text [DELAY]`, as in distcc 3.4, plus --help and
// --version.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcc::monitor {

enum class TextAction { run, help, version };

struct TextOptions {
  TextAction action = TextAction::run;
  // Zero: print once. Otherwise print, wait this long, and again, until killed.
  std::chrono::nanoseconds delay{0};
};

// Longest DELAY accepted: a day. Longer is surely a typo, and far longer would overflow.
inline constexpr double kMaxDelaySeconds = 86400;

// args excludes the program name. DELAY is (fractional) seconds as strtod reads it ("2",
// "0.5", "1e-1"). A bad one is an error naming it; the caller exits 1, as 3.4 does.
Result<TextOptions> parse_text_options(std::span<const std::string> args);

std::string_view text_usage();

}  // namespace dcc::monitor
