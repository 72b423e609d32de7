// lsdistcc's command line, parsed the way distcc 3.4 parses it: options come first, each a single
// word with its value attached ("-r3633", "-pgcc"), and the first word not starting with '-' ends
// them. What follows is either one name format containing "%d" or a list of hosts.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/fd_io.h"
#include "common/result.h"

namespace dcc::lsdistcc {

inline constexpr int kDefaultPort = 3632;
inline constexpr int kMaxMatchBits = 31;  // 3.4's limit for -m (IPv4, at least one host bit)

struct Options {
  bool latency = false;        // -l
  bool numeric = false;        // -n
  bool mark_down = false;      // -x
  bool append_domain = false;  // -d
  int verbose = 0;             // -v, repeatable
  std::chrono::seconds total_timeout{7};  // -t, 0: no limit
  Millis dns_retry{500};                  // -h
  Millis connect_timeout{900};            // -c, 0: do not connect, a resolved name is up
  Millis compile_timeout{1500};           // -k, 0: do not compile
  int match_bits = 0;                     // -m
  int overlap = 1;                        // -o
  int dns_gap = 0;                        // -g
  int port = kDefaultPort;                // -r
  int protocol = 1;                       // -P
  std::optional<std::string> compiler;    // -p; without it hosts are only connected to
  std::vector<std::string> operands;      // format or hosts
};

struct CommandLine {
  bool help = false;  // --help: print usage, exit 0
  Options options;
};

// args excludes the program name. Errors name the offending word; the caller prints the usage.
Result<CommandLine> parse_command_line(std::span<const std::string> args);

// The --help text: 3.4's wording, options indented so tools can pick them out.
std::string usage_text();

}  // namespace dcc::lsdistcc
