#include "common/host_spec.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <vector>

namespace dcc {
namespace {

// ---- One host, accepted ---------------------------------------------------------------------

struct AcceptCase {
  const char* name;
  const char* text;
  HostKind kind = HostKind::tcp;
  const char* hostname = "";
  int port = 3632;
  int slots = 4;
  const char* user = "";
  const char* command = "";
  bool lzo = false;
  bool cpp = false;
  bool down = false;
};

void PrintTo(const AcceptCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class AcceptTest : public testing::TestWithParam<AcceptCase> {};

TEST_P(AcceptTest, ParsesOneHost) {
  const AcceptCase& c = GetParam();
  Result<HostList> list = parse_hosts(c.text);
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->hosts.size(), 1u);
  const HostSpec& host = list->hosts[0];
  EXPECT_EQ(host.spec, c.text);
  EXPECT_EQ(host.kind, c.kind);
  EXPECT_EQ(host.hostname, c.hostname);
  if (c.kind == HostKind::tcp) {
    EXPECT_EQ(host.port, c.port);
  }
  EXPECT_EQ(host.slots, c.slots);
  EXPECT_EQ(host.user, c.user);
  EXPECT_EQ(host.ssh_command, c.command);
  EXPECT_EQ(host.lzo, c.lzo);
  EXPECT_EQ(host.cpp, c.cpp);
  EXPECT_EQ(host.down, c.down);
}

constexpr HostKind kLocal = HostKind::local;
constexpr HostKind kTcp = HostKind::tcp;
constexpr HostKind kSsh = HostKind::ssh;

INSTANTIATE_TEST_SUITE_P(
    HostSpec, AcceptTest,
    testing::Values(
        AcceptCase{"localhost", "localhost", kLocal, "localhost", 3632, 2},
        AcceptCase{"localhost_limit", "localhost/3", kLocal, "localhost", 3632, 3},
        AcceptCase{"localhost_equals_limit", "localhost=5", kLocal, "localhost", 3632, 5},
        AcceptCase{"localhost_junk_after_limit", "localhost/3junk", kLocal, "localhost", 3632, 3},
        AcceptCase{"localhost_options_ignored", "localhost/3,lzo", kLocal, "localhost", 3632, 3},
        AcceptCase{"localhost_port_is_tcp", "localhost:3632", kTcp, "localhost", 3632, 4},
        AcceptCase{"localhost_lzo_is_tcp", "localhost,lzo", kTcp, "localhost", 3632, 4, "", "",
                   true},
        AcceptCase{"localhost_port_limit_tcp", "localhost:4000/3", kTcp, "localhost", 4000, 3},
        AcceptCase{"localhostx_is_tcp", "localhostjunk/3", kTcp, "localhostjunk", 3632, 3},
        AcceptCase{"plain", "box", kTcp, "box"},
        AcceptCase{"fqdn", "build1.example.com", kTcp, "build1.example.com"},
        AcceptCase{"ipv4", "10.0.0.5", kTcp, "10.0.0.5"},
        AcceptCase{"port", "box:4000", kTcp, "box", 4000},
        AcceptCase{"port_max", "box:65535", kTcp, "box", 65535},
        AcceptCase{"limit", "box/8", kTcp, "box", 3632, 8},
        AcceptCase{"limit_equals", "box=8", kTcp, "box", 3632, 8},
        AcceptCase{"limit_large", "box/1000000", kTcp, "box", 3632, 1000000},
        AcceptCase{"port_then_limit", "box:4000/7", kTcp, "box", 4000, 7},
        AcceptCase{"old_limit_then_port", "box/2:4001", kTcp, "box", 4001, 2},
        AcceptCase{"limit_both_sides", "box/3:4000/5", kTcp, "box", 4000, 5},
        AcceptCase{"limit_twice", "box/3/4", kTcp, "box", 3632, 4},
        AcceptCase{"limit_then_equals", "box/3=5", kTcp, "box", 3632, 5},
        AcceptCase{"limit_trailing_junk", "box/3junk", kTcp, "box", 3632, 3},
        AcceptCase{"junk_swallows_options", "box/3x,lzo", kTcp, "box", 3632, 3},
        AcceptCase{"junk_hides_bad_option", "box/3x,foo", kTcp, "box", 3632, 3},
        AcceptCase{"second_port_ignored", "box:4000/3:5000", kTcp, "box", 4000, 3},
        AcceptCase{"lzo", "box,lzo", kTcp, "box", 3632, 4, "", "", true},
        AcceptCase{"lzo_junk", "box,lzofoo", kTcp, "box", 3632, 4, "", "", true},
        AcceptCase{"lzo_then_port_junk", "box,lzo:4000", kTcp, "box", 3632, 4, "", "", true},
        AcceptCase{"lzo_cpp", "box,lzo,cpp", kTcp, "box", 3632, 4, "", "", true, true},
        AcceptCase{"cpp_lzo", "box,cpp,lzo", kTcp, "box", 3632, 4, "", "", true, true},
        AcceptCase{"down", "box,down", kTcp, "box", 3632, 4, "", "", false, false, true},
        AcceptCase{"downtown", "box,downtown", kTcp, "box", 3632, 4, "", "", false, false, true},
        AcceptCase{"all_options", "box:4000/3,lzo,cpp,down", kTcp, "box", 4000, 3, "", "", true,
                   true, true},
        AcceptCase{"ipv6", "[::1]", kTcp, "::1"},
        AcceptCase{"ipv6_port_limit", "[fe80::1]:3633/5", kTcp, "fe80::1", 3633, 5},
        AcceptCase{"ipv6_limit", "[::1]/3", kTcp, "::1", 3632, 3},
        AcceptCase{"ipv6_equals", "[::1]=3", kTcp, "::1", 3632, 3},
        AcceptCase{"ipv6_junk", "[::1]junk", kTcp, "::1"},
        AcceptCase{"ipv6_options", "[::1]:3633/5,cpp,lzo", kTcp, "::1", 3633, 5, "", "", true,
                   true},
        AcceptCase{"ssh_no_user", "@box", kSsh, "box"},
        AcceptCase{"ssh_user", "joe@box", kSsh, "box", 3632, 4, "joe"},
        AcceptCase{"ssh_limit", "@box/3", kSsh, "box", 3632, 3},
        AcceptCase{"ssh_equals", "@box=3", kSsh, "box", 3632, 3},
        AcceptCase{"ssh_command", "@box:/opt/bin/distccd", kSsh, "box", 3632, 4, "",
                   "/opt/bin/distccd"},
        AcceptCase{"ssh_command_with_slash_digit", "@box:/x/distccd/3", kSsh, "box", 3632, 4, "",
                   "/x/distccd/3"},
        AcceptCase{"ssh_everything", "joe@box/4:/opt/bin/distccd,lzo", kSsh, "box", 3632, 4, "joe",
                   "/opt/bin/distccd", true},
        AcceptCase{"ssh_pump", "@box/3:cmd,lzo,cpp", kSsh, "box", 3632, 3, "", "cmd", true, true},
        AcceptCase{"ssh_ipv6", "@[::1]/3", kSsh, "::1", 3632, 3},
        AcceptCase{"ssh_second_at", "a@b@c", kSsh, "b@c", 3632, 4, "a"}),
    [](const testing::TestParamInfo<AcceptCase>& info) { return std::string(info.param.name); });

// ---- Rejected lists ------------------------------------------------------------------------

struct RejectCase {
  const char* name;
  const char* text;
  const char* message;  // the whole one-line message, source "DISTCC_HOSTS"
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class RejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(RejectTest, RejectsWholeList) {
  const RejectCase& c = GetParam();
  Result<HostList> list = parse_hosts(c.text);
  ASSERT_FALSE(list.ok()) << "accepted: " << c.text;
  EXPECT_EQ(list.error().code, ExitCode::bad_hostspec);
  EXPECT_EQ(list.error().message, c.message);
}

INSTANTIATE_TEST_SUITE_P(
    HostSpec, RejectTest,
    testing::Values(
        RejectCase{"bad_port", "box:12x", R"(DISTCC_HOSTS entry "box:12x": port is not a number)"},
        RejectCase{"port_trailing_junk", "box:4000junk",
                   R"(DISTCC_HOSTS entry "box:4000junk": port is not a number)"},
        RejectCase{"port_missing", "box:", R"(DISTCC_HOSTS entry "box:": port is not a number)"},
        RejectCase{"port_negative", "box:-1",
                   R"(DISTCC_HOSTS entry "box:-1": port is not a number)"},
        RejectCase{"port_zero", "box:0", R"(DISTCC_HOSTS entry "box:0": port 0 is not in 1-65535)"},
        RejectCase{"port_too_big", "box:70000",
                   R"(DISTCC_HOSTS entry "box:70000": port 70000 is not in 1-65535)"},
        RejectCase{"two_ports", "box:4000:5",
                   R"(DISTCC_HOSTS entry "box:4000:5": port is not a number )"
                   R"((an IPv6 address needs brackets: [ADDRESS]:PORT))"},
        RejectCase{"unbracketed_ipv6", "fe80::1",
                   R"(DISTCC_HOSTS entry "fe80::1": port is not a number )"
                   R"((an IPv6 address needs brackets: [ADDRESS]:PORT))"},
        RejectCase{"limit_zero", "box/0",
                   R"(DISTCC_HOSTS entry "box/0": limit "/0" must be at least 1)"},
        RejectCase{"localhost_limit_zero", "localhost/0",
                   R"(DISTCC_HOSTS entry "localhost/0": limit "/0" must be at least 1)"},
        RejectCase{"limit_empty", "box/",
                   R"(DISTCC_HOSTS entry "box/": limit "/" is not a number)"},
        RejectCase{"localhost_limit_empty", "localhost/",
                   R"(DISTCC_HOSTS entry "localhost/": limit "/" is not a number)"},
        RejectCase{"limit_negative", "box/-1",
                   R"(DISTCC_HOSTS entry "box/-1": limit "/-1" is not a number)"},
        RejectCase{
            "limit_huge", "box/99999999999",
            R"(DISTCC_HOSTS entry "box/99999999999": limit "/99999999999" is larger than 1000000)"},
        RejectCase{
            "cpp_without_lzo", "box,cpp",
            R"(DISTCC_HOSTS entry "box,cpp": pump mode (',cpp') requires compression (',lzo'))"},
        RejectCase{
            "cpp_junk_hides_lzo", "box,cppx,lzo",
            R"(DISTCC_HOSTS entry "box,cppx,lzo": pump mode (',cpp') requires compression (',lzo'))"},
        RejectCase{
            "auth", "box,auth",
            R"(DISTCC_HOSTS entry "box,auth": GSS-API authentication (,auth) is not supported)"},
        RejectCase{
            "auth_name", "box,auth=other",
            R"(DISTCC_HOSTS entry "box,auth=other": GSS-API authentication (,auth) is not supported)"},
        RejectCase{
            "unknown_option", "box,foo",
            R"(DISTCC_HOSTS entry "box,foo": unknown option ",foo" (known: lzo, cpp, down))"},
        RejectCase{
            "uppercase_option", "box,LZO",
            R"(DISTCC_HOSTS entry "box,LZO": unknown option ",LZO" (known: lzo, cpp, down))"},
        RejectCase{
            "zstd_is_head_only", "box,zstd",
            R"(DISTCC_HOSTS entry "box,zstd": unknown option ",zstd" (known: lzo, cpp, down))"},
        RejectCase{"trailing_comma", "box,lzo,",
                   R"(DISTCC_HOSTS entry "box,lzo,": unknown option "," (known: lzo, cpp, down))"},
        RejectCase{"double_comma", "box,,lzo",
                   R"(DISTCC_HOSTS entry "box,,lzo": unknown option "," (known: lzo, cpp, down))"},
        RejectCase{"no_hostname_limit", "/3", R"(DISTCC_HOSTS entry "/3": hostname is missing)"},
        RejectCase{"no_hostname_port", ":4000",
                   R"(DISTCC_HOSTS entry ":4000": hostname is missing)"},
        RejectCase{"no_hostname_option", ",lzo",
                   R"(DISTCC_HOSTS entry ",lzo": hostname is missing)"},
        RejectCase{"empty_brackets", "[]", R"(DISTCC_HOSTS entry "[]": hostname is missing)"},
        RejectCase{"unclosed_bracket", "[::1",
                   R"(DISTCC_HOSTS entry "[::1": IPv6 address needs a closing ']')"},
        RejectCase{"slash_inside_bracket", "[::1/3]",
                   R"(DISTCC_HOSTS entry "[::1/3]": IPv6 address needs a closing ']')"},
        RejectCase{"ssh_no_host", "@", R"(DISTCC_HOSTS entry "@": hostname is missing)"},
        RejectCase{"ssh_no_host_limit", "@/3", R"(DISTCC_HOSTS entry "@/3": hostname is missing)"},
        RejectCase{"zeroconf", "a +zeroconf",
                   R"(DISTCC_HOSTS entry "+zeroconf": zeroconf is not supported yet)"},
        RejectCase{"localslots_bad", "--localslots=x a",
                   R"(DISTCC_HOSTS entry "--localslots=x": limit "=x" is not a number)"},
        RejectCase{"localslots_zero", "--localslots=0 a",
                   R"(DISTCC_HOSTS entry "--localslots=0": limit "=0" must be at least 1)"},
        RejectCase{"localslots_no_value", "--localslots a",
                   R"(DISTCC_HOSTS entry "--localslots": needs a number, e.g. --localslots=4)"},
        RejectCase{
            "localslots_cpp_no_value", "--localslots_cpp a",
            R"(DISTCC_HOSTS entry "--localslots_cpp": needs a number, e.g. --localslots_cpp=8)"},
        RejectCase{
            "localslots_misspelt", "--localslotsx=3 a",
            R"(DISTCC_HOSTS entry "--localslotsx=3": unknown option (known: --randomize, --localslots=N, --localslots_cpp=N))"},
        RejectCase{
            "randomize_misspelt", "--randomizex a",
            R"(DISTCC_HOSTS entry "--randomizex": unknown option (known: --randomize, --localslots=N, --localslots_cpp=N))"},
        RejectCase{
            "dash_host", "-a",
            R"(DISTCC_HOSTS entry "-a": unknown option (known: --randomize, --localslots=N, --localslots_cpp=N))"},
        RejectCase{"empty", "", "DISTCC_HOSTS contains no hosts; can't distribute work"},
        RejectCase{"blank", " \t\r\n ", "DISTCC_HOSTS contains no hosts; can't distribute work"},
        RejectCase{"only_comment", "# a b c",
                   "DISTCC_HOSTS contains no hosts; can't distribute work"},
        RejectCase{"only_keywords", "--randomize --localslots=3",
                   "DISTCC_HOSTS contains no hosts; can't distribute work"},
        RejectCase{"one_bad_entry_rejects_all", "a b:x c",
                   R"(DISTCC_HOSTS entry "b:x": port is not a number)"}),
    [](const testing::TestParamInfo<RejectCase>& info) { return std::string(info.param.name); });

// ---- Compared with Debian's distcc 3.4 -----------------------------------------------------

// Each expectation below was observed from Debian distcc 3.4 (3.4+really3.4-3) by running
//   DISTCC_HOSTS='<text>' distcc --show-hosts   and   DISTCC_HOSTS='<text>' distcc -j
struct ObservedCase {
  const char* name;
  const char* text;
  std::vector<std::string> show_hosts;
  int jobs;
};

void PrintTo(const ObservedCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ObservedTest : public testing::TestWithParam<ObservedCase> {};

TEST_P(ObservedTest, MatchesDistcc34) {
  const ObservedCase& c = GetParam();
  Result<HostList> list = parse_hosts(c.text);
  ASSERT_TRUE(list.ok()) << list.error().message;
  std::vector<std::string> specs;
  for (const HostSpec& host : list->hosts) specs.push_back(host.spec);
  EXPECT_EQ(specs, c.show_hosts);
  EXPECT_EQ(total_slots(*list), c.jobs);
}

INSTANTIATE_TEST_SUITE_P(
    Distcc34, ObservedTest,
    testing::Values(
        ObservedCase{"two", "a/3 b:4000", {"a/3", "b:4000"}, 7},
        ObservedCase{"mixed",
                     "localhost/3 a:4000/7,lzo b/2:4001 @c/3 [::1]:3633/5,cpp,lzo",
                     {"localhost/3", "a:4000/7,lzo", "b/2:4001", "@c/3", "[::1]:3633/5,cpp,lzo"},
                     20},
        ObservedCase{"junk_after_limit", "a/3junk", {"a/3junk"}, 3},
        ObservedCase{"junk_after_option", "a,lzofoo", {"a,lzofoo"}, 4},
        ObservedCase{"localhost", "localhost", {"localhost"}, 2},
        ObservedCase{"localhost_tcp", "localhost:3632", {"localhost:3632"}, 4},
        ObservedCase{"old_style", "a/3:4000", {"a/3:4000"}, 3},
        ObservedCase{"limit_twice", "a/3/4", {"a/3/4"}, 4},
        ObservedCase{"equals_after_limit", "a/3=5", {"a/3=5"}, 5},
        ObservedCase{"ipv6_equals", "[::1]=3", {"[::1]=3"}, 3},
        ObservedCase{"comment", "a # b c\nd", {"a", "d"}, 8},
        ObservedCase{"comment_glued", "a#b c", {"a"}, 4},
        ObservedCase{"crlf", "a/2\r\nb/3 # c\r\n#x\r\nd", {"a/2", "b/3", "d"}, 9},
        ObservedCase{
            "ssh", "user@host/4:/opt/bin/distccd,lzo", {"user@host/4:/opt/bin/distccd,lzo"}, 4},
        ObservedCase{"local_and_remote", "a/2 localhost/1", {"a/2", "localhost/1"}, 3},
        ObservedCase{"localslots_not_counted", "--localslots=1 a", {"a"}, 4},
        ObservedCase{"three", "a b:40 c/2", {"a", "b:40", "c/2"}, 10},
        ObservedCase{"down_counted", "a,lzo,cpp,down", {"a,lzo,cpp,down"}, 4}),
    [](const testing::TestParamInfo<ObservedCase>& info) { return std::string(info.param.name); });

// ---- Everything else -----------------------------------------------------------------------

TEST(HostSpecTest, ProtocolFollowsOptions) {
  Result<HostList> list = parse_hosts("a b,lzo c,lzo,cpp localhost");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->hosts[0].protocol(), Protocol::v1);
  EXPECT_EQ(list->hosts[1].protocol(), Protocol::v2);
  EXPECT_EQ(list->hosts[2].protocol(), Protocol::v3);
  EXPECT_EQ(list->hosts[3].protocol(), Protocol::v1);
}

TEST(HostSpecTest, GlobalOptions) {
  Result<HostList> list = parse_hosts("a --randomize --localslots=2 --localslots_cpp/16 b");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_TRUE(list->randomize);
  EXPECT_EQ(list->local_slots, 2);
  EXPECT_EQ(list->local_slots_cpp, 16);
  ASSERT_EQ(list->hosts.size(), 2u);
  EXPECT_EQ(list->hosts[0].hostname, "a");  // parse_hosts does not shuffle
  EXPECT_EQ(list->hosts[1].hostname, "b");
}

TEST(HostSpecTest, GlobalOptionDefaults) {
  Result<HostList> list = parse_hosts("a");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_FALSE(list->randomize);
  EXPECT_EQ(list->local_slots, 4);
  EXPECT_EQ(list->local_slots_cpp, 8);
}

TEST(HostSpecTest, LocalSlotsEqualsAndSlashAndLastWins) {
  Result<HostList> list = parse_hosts("--localslots/3 --localslots_cpp=5 --localslots=7 a");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->local_slots, 7);
  EXPECT_EQ(list->local_slots_cpp, 5);
}

TEST(HostSpecTest, SourceNameAppearsInMessages) {
  Result<HostList> list = parse_hosts("box:12x", "/home/u/.distcc/hosts");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().message, R"(/home/u/.distcc/hosts entry "box:12x": port is not a number)");
  Result<HostList> empty = parse_hosts("\n", "/etc/distcc/hosts");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "/etc/distcc/hosts contains no hosts; can't distribute work");
}

TEST(HostSpecTest, HostsFileWithCommentsAndCrlf) {
  const char* file =
      "# build farm\r\n"
      "localhost/2\r\n"
      "\tfast1:3632/8,lzo   # the big one\r\n"
      "fast2/8,lzo,cpp\r\n"
      "\r\n"
      "#slow/1\r\n";
  Result<HostList> list = parse_hosts(file, "hosts");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->hosts.size(), 3u);
  EXPECT_EQ(list->hosts[1].spec, "fast1:3632/8,lzo");
  EXPECT_EQ(list->hosts[2].spec, "fast2/8,lzo,cpp");
  EXPECT_EQ(total_slots(*list), 18);
}

TEST(HostSpecTest, TotalSlotsSaturates) {
  HostList list;
  HostSpec big;
  big.slots = kMaxSlots;
  list.hosts.assign(5000, big);
  EXPECT_EQ(total_slots(list), INT_MAX);
  EXPECT_EQ(total_slots(HostList{}), 0);
}

}  // namespace
}  // namespace dcc
