#include "daemon/access_rules.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>
#include <string>
#include <vector>

namespace dcc {
namespace {

sockaddr_storage v4_peer(const char* text, int port = 51688) {
  sockaddr_storage storage{};
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(static_cast<std::uint16_t>(port));
  EXPECT_EQ(inet_pton(AF_INET, text, &sin.sin_addr), 1) << text;
  std::memcpy(&storage, &sin, sizeof sin);
  return storage;
}

sockaddr_storage v6_peer(const char* text, int port = 51688) {
  sockaddr_storage storage{};
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(static_cast<std::uint16_t>(port));
  EXPECT_EQ(inet_pton(AF_INET6, text, &sin6.sin6_addr), 1) << text;
  std::memcpy(&storage, &sin6, sizeof sin6);
  return storage;
}

sockaddr_storage peer(const std::string& text) {
  return text.find(':') == std::string::npos ? v4_peer(text.c_str()) : v6_peer(text.c_str());
}

std::vector<AllowRule> rules(std::initializer_list<const char*> texts) {
  std::vector<AllowRule> out;
  for (const char* text : texts) {
    Result<AllowRule> rule = parse_allow_rule(text);
    EXPECT_TRUE(rule.ok()) << text;
    if (rule.ok()) out.push_back(*rule);
  }
  return out;
}

// ---- Parsing -------------------------------------------------------------------------------

struct ParseCase {
  const char* text;
  const char* canonical;  // to_string of the parsed rule
};

class ParseAllowTest : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseAllowTest, Canonical) {
  Result<AllowRule> rule = parse_allow_rule(GetParam().text);
  ASSERT_TRUE(rule.ok()) << rule.error().message;
  EXPECT_EQ(to_string(*rule), GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    AccessRules, ParseAllowTest,
    testing::Values(
        ParseCase{"10.0.0.0/8", "10.0.0.0/8"}, ParseCase{"192.168.1.5", "192.168.1.5/32"},
        ParseCase{"10.1.2.3/8", "10.0.0.0/8"}, ParseCase{"172.31.255.255/12", "172.16.0.0/12"},
        ParseCase{"0.0.0.0/0", "0.0.0.0/0"}, ParseCase{"1.2.3.4/32", "1.2.3.4/32"},
        ParseCase{"::1", "::1/128"}, ParseCase{"fe80::/10", "fe80::/10"},
        ParseCase{"febf:1::5/10", "fe80::/10"}, ParseCase{"2001:db8::/32", "2001:db8::/32"},
        ParseCase{"::/0", "::/0"}, ParseCase{"::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"}));

struct BadCase {
  const char* text;
  const char* message;
};

class BadAllowTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadAllowTest, OneLineNamingText) {
  Result<AllowRule> rule = parse_allow_rule(GetParam().text);
  ASSERT_FALSE(rule.ok()) << GetParam().text;
  EXPECT_EQ(rule.error().code, ExitCode::bad_arguments);
  EXPECT_EQ(rule.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    AccessRules, BadAllowTest,
    testing::Values(
        BadCase{"10.0.0.0/33", R"(invalid --allow rule "10.0.0.0/33": prefix length must be 0-32)"},
        BadCase{"::1/129", R"(invalid --allow rule "::1/129": prefix length must be 0-128)"},
        BadCase{"10.0.0.0/", R"(invalid --allow rule "10.0.0.0/": prefix length must be 0-32)"},
        BadCase{"10.0.0.0/8junk",
                R"(invalid --allow rule "10.0.0.0/8junk": prefix length must be 0-32)"},
        BadCase{"10.0.0.0/-1", R"(invalid --allow rule "10.0.0.0/-1": prefix length must be 0-32)"},
        BadCase{"10.0.0.0/0008",
                R"(invalid --allow rule "10.0.0.0/0008": prefix length must be 0-32)"},
        BadCase{"foo",
                R"(invalid --allow rule "foo": "foo" is not a numeric IPv4 or IPv6 address)"},
        BadCase{"10", R"(invalid --allow rule "10": "10" is not a numeric IPv4 or IPv6 address)"},
        BadCase{
            "256.0.0.1",
            R"(invalid --allow rule "256.0.0.1": "256.0.0.1" is not a numeric IPv4 or IPv6 address)"},
        BadCase{"[::1]",
                R"(invalid --allow rule "[::1]": "[::1]" is not a numeric IPv4 or IPv6 address)"},
        BadCase{"", R"(invalid --allow rule "": the address is missing)"},
        BadCase{"/8", R"(invalid --allow rule "/8": the address is missing)"}));

// ---- Matching ------------------------------------------------------------------------------

struct MatchCase {
  const char* rule;
  const char* peer;
  bool allowed;
};

class MatchTest : public testing::TestWithParam<MatchCase> {};

TEST_P(MatchTest, Decides) {
  const MatchCase& c = GetParam();
  EXPECT_EQ(is_allowed(rules({c.rule}), peer(c.peer)), c.allowed) << c.rule << " vs " << c.peer;
}

INSTANTIATE_TEST_SUITE_P(
    AccessRules, MatchTest,
    testing::Values(
        MatchCase{"10.0.0.0/8", "10.200.3.4", true}, MatchCase{"10.0.0.0/8", "11.0.0.1", false},
        MatchCase{"192.168.1.5", "192.168.1.5", true},
        MatchCase{"192.168.1.5", "192.168.1.6", false},
        MatchCase{"172.16.0.0/12", "172.31.0.1", true},
        MatchCase{"172.16.0.0/12", "172.32.0.1", false}, MatchCase{"0.0.0.0/0", "8.8.8.8", true},
        MatchCase{"10.1.2.3/8", "10.9.9.9", true},
        // IPv4-mapped peers from a dual-stack socket meet IPv4 rules (3.4 swaps bytes).
        MatchCase{"10.0.0.0/8", "::ffff:10.1.2.3", true},
        MatchCase{"127.0.0.0/8", "::ffff:127.0.0.1", true},
        MatchCase{"10.0.0.0/8", "::ffff:3.2.1.10", false},
        MatchCase{"192.168.0.0/16", "::ffff:192.169.0.1", false},
        // An IPv4 rule never matches a real IPv6 peer that merely ends alike.
        MatchCase{"10.0.0.0/8", "::10.1.2.3", false},
        MatchCase{"10.0.0.0/8", "2001:db8::a01:203", false},
        // IPv6 rules.
        MatchCase{"::1", "::1", true}, MatchCase{"::1", "::2", false},
        MatchCase{"fe80::/10", "fe80::1234", true}, MatchCase{"fe80::/10", "febf::1", true},
        MatchCase{"fe80::/10", "fec0::1", false},
        MatchCase{"2001:db8::/32", "2001:db8:ffff::1", true},
        MatchCase{"2001:db8::/32", "2001:db9::1", false}, MatchCase{"::/0", "2a00::1", true},
        // IPv4 peers meet mapped IPv6 rules; other IPv6 rules never match them.
        MatchCase{"::ffff:10.0.0.0/104", "10.4.5.6", true},
        MatchCase{"::ffff:10.0.0.0/104", "11.4.5.6", false}, MatchCase{"::1", "127.0.0.1", false},
        MatchCase{"::/0", "127.0.0.1", true}));

TEST(AccessRulesTest, FirstMatchAmongSeveral) {
  std::vector<AllowRule> list = rules({"10.0.0.0/8", "192.168.7.0/24", "fd00::/8"});
  EXPECT_TRUE(is_allowed(list, peer("192.168.7.200")));
  EXPECT_TRUE(is_allowed(list, peer("fd12::1")));
  EXPECT_FALSE(is_allowed(list, peer("192.168.8.1")));
}

TEST(AccessRulesTest, EmptyListAdmitsNoIpPeer) {
  EXPECT_FALSE(is_allowed({}, peer("127.0.0.1")));
  EXPECT_FALSE(is_allowed({}, peer("::1")));
}

TEST(AccessRulesTest, NonIpPeersAlwaysAdmitted) {
  sockaddr_storage unix_peer{};
  unix_peer.ss_family = AF_UNIX;
  EXPECT_TRUE(is_allowed({}, unix_peer));
  EXPECT_TRUE(is_allowed(rules({"10.0.0.0/8"}), unix_peer));
}

TEST(AccessRulesTest, PrivateNetworksAreAllSeven) {
  std::vector<std::string> texts;
  for (const AllowRule& rule : private_network_rules()) texts.push_back(to_string(rule));
  EXPECT_EQ(texts, (std::vector<std::string>{"192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12",
                                             "127.0.0.0/8", "fe80::/10", "fc00::/7", "::1/128"}));
}

TEST(AccessRulesTest, PrivateNetworksAdmitLoopbackAndLan) {
  std::vector<AllowRule> list = private_network_rules();
  for (const char* ok : {"127.0.0.1", "10.1.1.1", "172.20.0.1", "192.168.0.9", "::1", "fe80::1",
                         "fd00::5", "fc00::5", "::ffff:192.168.1.1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_allowed(list, peer(ok))) << ok;
  }
  for (const char* denied :
       {"8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1", "::2", "::ffff:8.8.8.8"}) {
    EXPECT_FALSE(is_allowed(list, peer(denied))) << denied;
  }
}

TEST(AccessRulesTest, AddressToString) {
  EXPECT_EQ(address_to_string(v4_peer("127.0.0.1", 51688)), "127.0.0.1:51688");
  EXPECT_EQ(address_to_string(v6_peer("::1", 51688)), "[::1]:51688");
  EXPECT_EQ(address_to_string(v6_peer("::ffff:10.0.0.1", 3632)), "[::ffff:10.0.0.1]:3632");
  EXPECT_EQ(address_to_string(v6_peer("fe80::1", 0)), "[fe80::1]:0");
  sockaddr_storage unix_peer{};
  unix_peer.ss_family = AF_UNIX;
  EXPECT_EQ(address_to_string(unix_peer), "local socket");
}

}  // namespace
}  // namespace dcc
