// distccd's client allow-list (--allow ADDR[/BITS], --allow-private). Pure: rules are values and
// the check is a function of the rules and the peer address.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dcc {

// An IPv4 or IPv6 network. Bits beyond the prefix are always zero (parse_allow_rule masks them,
// as 3.4 does: "10.1.2.3/8" is 10.0.0.0/8).
struct AllowRule {
  enum class Family { v4, v6 };
  Family family = Family::v4;
  std::array<std::uint8_t, 16> address{};  // network byte order; only the first 4 used for v4
  int prefix_length = 32;

  friend bool operator==(const AllowRule&, const AllowRule&) = default;
};

// "10.0.0.0/8", "192.168.1.5" (a /32), "::1" (a /128), "fe80::/10", "2001:db8::/32".
// Addresses are numeric only (no name lookup). Errors are ExitCode::bad_arguments, one line
// naming the text: invalid --allow rule "10.0.0.0/33": prefix length must be 0-32
Result<AllowRule> parse_allow_rule(std::string_view text);

// "10.0.0.0/8", "fe80::/10": the canonical spelling of a rule.
std::string to_string(const AllowRule& rule);

// --allow-private: 192.168.0.0/16, 10.0.0.0/8, 172.16.0.0/12, 127.0.0.0/8, fe80::/10, fc00::/7
// and ::1/128 (3.4 lists the last but its loop stops before it).
std::vector<AllowRule> private_network_rules();

// Whether any rule admits the peer. IPv4-mapped IPv6 peers (::ffff:a.b.c.d, what a dual-stack
// socket reports) are checked against IPv4 rules with the right byte order (3.4 gets it wrong),
// and IPv4 peers against ::ffff:0:0/96-style IPv6 rules. Peers that are not IP (a Unix socket or
// a pipe under inetd/ssh) are always admitted, as in 3.4. An empty rule list admits no IP peer:
// deciding on a default (--allow-private when no --allow is given) is the caller's job.
bool is_allowed(const std::vector<AllowRule>& rules, const sockaddr_storage& peer);

// "127.0.0.1:51688", "[::1]:51688", for logs. Non-IP peers give "local socket".
std::string address_to_string(const sockaddr_storage& address);

}  // namespace dcc
