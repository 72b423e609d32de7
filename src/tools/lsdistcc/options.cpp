#include "tools/lsdistcc/options.h"

#include <charconv>
#include <limits>

namespace dcc::lsdistcc {
namespace {

Error usage_error(const std::string& message) {
  return make_error(ExitCode::bad_arguments, message);
}

// 3.4 reads values with atoi(), so "-tx" silently meant 0; here a value must be all digits.
Result<int> number_in(const std::string& word, int min, int max) {
  std::string_view digits = std::string_view(word).substr(2);
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    return usage_error("option " + word.substr(0, 2) + " needs a number attached, e.g. " +
                       word.substr(0, 2) + std::to_string(min));
  }
  if (value < min || value > max) {
    return usage_error("value of " + word.substr(0, 2) + " must be between " + std::to_string(min) +
                       " and " + std::to_string(max) + ", not " + std::string(digits));
  }
  return value;
}

// Applies one option word to `options`.
Status apply(const std::string& word, Options& options) {
  constexpr int kMax = std::numeric_limits<int>::max();
  auto set = [&](int& field, int min, int max) -> Status {
    auto value = number_in(word, min, max);
    if (!value) return value.error();
    field = *value;
    return {};
  };
  auto set_millis = [&](Millis& field) -> Status {
    int ms = 0;
    if (auto status = set(ms, 0, kMax); !status) return status;
    field = Millis(ms);
    return {};
  };
  bool flag_only = word.size() == 2;
  switch (word[1]) {
    case 'l': if (flag_only) { options.latency = true; return {}; } break;
    case 'n': if (flag_only) { options.numeric = true; return {}; } break;
    case 'x': if (flag_only) { options.mark_down = true; return {}; } break;
    case 'd': if (flag_only) { options.append_domain = true; return {}; } break;
    case 'v': if (flag_only) { ++options.verbose; return {}; } break;
    case 't': {
      int seconds = 0;
      if (auto status = set(seconds, 0, kMax); !status) return status;
      options.total_timeout = std::chrono::seconds(seconds);
      return {};
    }
    case 'h': return set_millis(options.dns_retry);
    case 'c': return set_millis(options.connect_timeout);
    case 'k': return set_millis(options.compile_timeout);
    case 'm': return set(options.match_bits, 0, kMaxMatchBits);
    case 'o': return set(options.overlap, 0, kMax);
    case 'g': return set(options.dns_gap, 0, kMax);
    case 'r': return set(options.port, 1, 65535);
    case 'P': return set(options.protocol, 1, 3);
    case 'p':
      if (flag_only) return usage_error("option -p needs a compiler name attached, e.g. -pgcc");
      options.compiler = word.substr(2);
      return {};
    default: break;
  }
  return usage_error("unknown option " + word);
}

// "-nvd" as the usage line shows it (3.4 itself only looked at the first letter of a word).
bool is_flag_group(const std::string& word) {
  return word.size() > 2 && word.find_first_not_of("lnxdv", 1) == std::string::npos;
}

}  // namespace

Result<CommandLine> parse_command_line(std::span<const std::string> args) {
  CommandLine line;
  std::size_t i = 0;
  for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-'; ++i) {
    if (args[i] == "--help") {
      line.help = true;
      return line;
    }
    if (args[i] == "--") {
      ++i;
      break;
    }
    if (is_flag_group(args[i])) {
      for (char flag : args[i].substr(1)) (void)apply(std::string{'-', flag}, line.options);
      continue;
    }
    if (auto status = apply(args[i], line.options); !status) return status.error();
  }
  line.options.operands.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return line;
}

std::string usage_text() {
  return "Usage: lsdistcc [-tTIMEOUT] [-mBITS] [-nvd] [format | host[:port]...]\n"
         "Uses 'for i=1... sprintf(format, i)' to construct names of servers,\n"
         "stops after 7 seconds or at the second server that doesn't resolve,\n"
         "prints the names of all such servers listening on distcc's port.\n"
         "Default format is distcc%d.\n"
         "If a list of host names is given on the command line,\n"
         "lsdistcc only checks those hosts (host:port picks another port).\n"
         "Exit status 0 if at least one server is up, else 1.\n"
         "Options (values attached, as in -t10):\n"
         "  -l         Output latency in milliseconds after each hostname\n"
         "             (not including DNS latency)\n"
         "  -n         Print IP address rather than name\n"
         "  -x         Append ,down to down hosts in host list\n"
         "  -tTIMEOUT  Set number of seconds to stop searching after [7] (0: no limit)\n"
         "  -hHTIMEOUT Set number of milliseconds before retrying a DNS lookup [500]\n"
         "  -cCTIMEOUT Set number of milliseconds before giving up on connect [900]\n"
         "             (0 to inhibit connect)\n"
         "  -kKTIMEOUT Set number of milliseconds before giving up on compile [1500]\n"
         "             (0 to inhibit compile)\n"
         "  -mBITS     Set number of bits of address that must match first host found [0]\n"
         "  -oOVERLAP  Set number of extra DNS requests to send [1]\n"
         "  -gDNSGAP   Set number of missing DNS entries to tolerate [0]\n"
         "  -rPORT     Port to connect to [3632]\n"
         "  -PPROTOCOL Protocol version to use (1-3) [1]\n"
         "  -pCOMPILER Name of compiler to use for a test compile [none]\n"
         "  -d         Append DNS domain name to format\n"
         "  -v         Verbose (repeat for more)\n"
         "  --help     Print this text\n"
         "\n"
         "Example:\n"
         "lsdistcc -l -p$COMPILER\n"
         "lsdistcc -p$COMPILER hosta somehost hostx hosty\n";
}

}  // namespace dcc::lsdistcc
