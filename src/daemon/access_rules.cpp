#include "daemon/access_rules.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace dcc {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

Error bad_rule(std::string_view text, std::string_view cause) {
  std::string message = "invalid --allow rule \"";
  message += text;
  message += "\": ";
  message += cause;
  return make_error(ExitCode::bad_arguments, std::move(message));
}

// Zeroes every bit past the first prefix_length bits.
void mask_host_bits(Bytes& bytes, int prefix_length) {
  for (int i = 0; i < static_cast<int>(bytes.size()); ++i) {
    int keep = std::clamp(prefix_length - i * 8, 0, 8);
    bytes[i] &= static_cast<std::uint8_t>(0xff00 >> keep);
  }
}

// Copies a sockaddr_storage into the concrete type its family names (no aliasing tricks).
template <class T>
T as(const sockaddr_storage& storage) {
  T out;
  std::memcpy(&out, &storage, sizeof out);
  return out;
}

bool prefix_matches(const std::uint8_t* a, const std::uint8_t* b, int prefix_length) {
  int full = prefix_length / 8;
  if (std::memcmp(a, b, full) != 0) return false;
  int rest = prefix_length % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff00 >> rest);
  return (a[full] & mask) == (b[full] & mask);
}

// A peer seen both ways: as IPv6 (IPv4 peers in mapped form) and, when it is one, as IPv4.
struct PeerAddress {
  Bytes v6{};
  std::optional<std::array<std::uint8_t, 4>> v4;
};

std::optional<PeerAddress> peer_address(const sockaddr_storage& peer) {
  PeerAddress out;
  if (peer.ss_family == AF_INET) {
    const auto sin = as<sockaddr_in>(peer);
    std::array<std::uint8_t, 4> v4{};
    std::memcpy(v4.data(), &sin.sin_addr, 4);
    out.v4 = v4;
    std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), out.v6.begin());
    std::copy(v4.begin(), v4.end(), out.v6.begin() + 12);
    return out;
  }
  if (peer.ss_family == AF_INET6) {
    const auto sin6 = as<sockaddr_in6>(peer);
    std::memcpy(out.v6.data(), &sin6.sin6_addr, 16);
    if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), out.v6.begin())) {
      std::array<std::uint8_t, 4> v4{};
      std::copy(out.v6.begin() + 12, out.v6.end(), v4.begin());
      out.v4 = v4;
    }
    return out;
  }
  return std::nullopt;
}

bool rule_matches(const AllowRule& rule, const PeerAddress& peer) {
  if (rule.family == AllowRule::Family::v6) {
    return prefix_matches(rule.address.data(), peer.v6.data(), rule.prefix_length);
  }
  return peer.v4 && prefix_matches(rule.address.data(), peer.v4->data(), rule.prefix_length);
}

AllowRule rule_or_die(std::string_view text) {
  Result<AllowRule> rule = parse_allow_rule(text);
  return std::move(rule).value();  // the built-in table is known to parse
}

}  // namespace

Result<AllowRule> parse_allow_rule(std::string_view text) {
  std::size_t slash = text.find('/');
  std::string address(text.substr(0, slash));
  if (address.empty()) return bad_rule(text, "the address is missing");

  AllowRule rule;
  if (inet_pton(AF_INET, address.c_str(), rule.address.data()) == 1) {
    rule.family = AllowRule::Family::v4;
    rule.prefix_length = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), rule.address.data()) == 1) {
    rule.family = AllowRule::Family::v6;
    rule.prefix_length = 128;
  } else {
    return bad_rule(text, "\"" + address + "\" is not a numeric IPv4 or IPv6 address");
  }

  if (slash != std::string_view::npos) {
    std::string_view bits = text.substr(slash + 1);
    int max = rule.prefix_length;
    std::string range = "prefix length must be 0-" + std::to_string(max);
    if (bits.empty() || bits.size() > 3 ||
        !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return bad_rule(text, range);
    }
    int value = std::stoi(std::string(bits));
    if (value > max) return bad_rule(text, range);
    rule.prefix_length = value;
  }
  mask_host_bits(rule.address, rule.prefix_length);
  return rule;
}

std::string to_string(const AllowRule& rule) {
  char buffer[INET6_ADDRSTRLEN] = {};
  int family = rule.family == AllowRule::Family::v4 ? AF_INET : AF_INET6;
  inet_ntop(family, rule.address.data(), buffer, sizeof buffer);
  return std::string(buffer) + "/" + std::to_string(rule.prefix_length);
}

std::vector<AllowRule> private_network_rules() {
  std::vector<AllowRule> rules;
  for (std::string_view text : {"192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "127.0.0.0/8",
                                "fe80::/10", "fc00::/7", "::1/128"}) {
    rules.push_back(rule_or_die(text));
  }
  return rules;
}

bool is_allowed(const std::vector<AllowRule>& rules, const sockaddr_storage& peer) {
  std::optional<PeerAddress> address = peer_address(peer);
  if (!address) return true;  // not an IP peer: inetd pipe, ssh, Unix socket
  return std::any_of(rules.begin(), rules.end(),
                     [&](const AllowRule& rule) { return rule_matches(rule, *address); });
}

std::string address_to_string(const sockaddr_storage& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto sin = as<sockaddr_in>(address);
    inet_ntop(AF_INET, &sin.sin_addr, buffer, sizeof buffer);
    return std::string(buffer) + ":" + std::to_string(ntohs(sin.sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto sin6 = as<sockaddr_in6>(address);
    inet_ntop(AF_INET6, &sin6.sin6_addr, buffer, sizeof buffer);
    return "[" + std::string(buffer) + "]:" + std::to_string(ntohs(sin6.sin6_port));
  }
  return "local socket";
}

}  // namespace dcc
