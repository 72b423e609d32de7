// Which hosts lsdistcc probes and how each is printed. Pure: no DNS, no sockets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "tools/lsdistcc/options.h"

namespace dcc::lsdistcc {

inline constexpr std::size_t kMaxGeneratedNames = 500;  // 3.4's MAXHOSTS

// One host to look up and probe.
struct Target {
  std::string host;  // what is resolved (domain already appended)
  int port = kDefaultPort;
};

// Where the names come from: a format with "%d" numbered from 1, or the given hosts.
struct TargetSource {
  std::optional<std::string> format;  // set: generated names (at most kMaxGeneratedNames)
  std::vector<Target> hosts;          // used when there is no format
  std::size_t count() const { return format ? kMaxGeneratedNames : hosts.size(); }
};

// No operands: "distcc%d". A first operand containing "%d": that format (3.4 ignores the rest).
// Otherwise each operand is a host: "host", "host:port", or a host-spec entry
// "host[:port][/limit][,option...]" whose limit and options are ignored.
Result<TargetSource> target_source(const Options& options, const std::string& domain);

// The i-th target, i counted from 1 as 3.4 does.
Target target_at(const TargetSource& source, std::size_t i, const Options& options,
                 const std::string& domain);

// Every "%d" in `format` replaced by `number`.
std::string name_from_format(const std::string& format, std::size_t number);

// The DNS domain of this machine: what follows the first dot of `hostname`, else of
// `canonical_name` (the resolver's full name for it); empty if neither has one.
std::string domain_of(const std::string& hostname, const std::string& canonical_name);

using Ipv4 = std::array<std::uint8_t, 4>;

// True when the first `bits` bits of a and b agree (-m: "on the same network").
bool same_network(const Ipv4& a, const Ipv4& b, int bits);

std::string dotted(const Ipv4& address);

// What the probe found out about one target.
struct Outcome {
  bool up = false;
  Ipv4 address{};
  std::optional<Millis> latency;  // from the start of connect to the end of the probe
};

// The output line for one probed target (without newline), or nothing when it is not listed:
//   name[:port][,lzo[,cpp]][,down][ latency]
// The port is shown when it is not 3632, as Debian's 3.4 does, so the line is a usable
// DISTCC_HOSTS entry; the suffix names the protocol the probe asked for (-P).
std::optional<std::string> format_line(const Target& target, const Outcome& outcome,
                                       const Options& options);

}  // namespace dcc::lsdistcc
