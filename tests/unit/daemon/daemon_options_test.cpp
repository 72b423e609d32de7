#include "daemon/daemon_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dcc {
namespace {

using Args = std::vector<std::string>;
using Mode = DaemonOptions::Mode;

DaemonOptions parse_ok(const Args& args) {
  Result<DaemonOptions> options = parse_daemon_options(args);
  EXPECT_TRUE(options.ok()) << options.error().message;
  return options.ok() ? *options : DaemonOptions{};
}

TEST(DaemonOptionsTest, Defaults) {
  DaemonOptions o = parse_ok({});
  EXPECT_EQ(o.mode, Mode::unspecified);
  EXPECT_FALSE(o.no_detach);
  EXPECT_FALSE(o.no_fork);
  EXPECT_EQ(o.port, 3632);
  EXPECT_FALSE(o.stats_port);
  EXPECT_FALSE(o.stats);
  EXPECT_TRUE(o.listen_addresses.empty());
  EXPECT_TRUE(o.allow.empty());
  EXPECT_FALSE(o.allow_private);
  EXPECT_EQ(o.jobs, 0);
  EXPECT_EQ(o.nice, 5);
  EXPECT_FALSE(o.log_file);
  EXPECT_FALSE(o.pid_file);
  EXPECT_FALSE(o.user);
  EXPECT_EQ(o.log_level, "notice");
  EXPECT_FALSE(o.log_stderr);
  EXPECT_EQ(o.job_lifetime.count(), 0);
  EXPECT_EQ(o.lifetime.count(), 0);
  EXPECT_FALSE(o.enable_tcp_insecure);
  EXPECT_FALSE(o.show_help);
  EXPECT_FALSE(o.show_version);
}

// ---- Each option, in each spelling ---------------------------------------------------------

struct AcceptCase {
  const char* name;
  Args args;
  bool (*check)(const DaemonOptions&);
};

void PrintTo(const AcceptCase& c, std::ostream* os) { *os << c.name; }

class AcceptTest : public testing::TestWithParam<AcceptCase> {};

TEST_P(AcceptTest, Sets) {
  Result<DaemonOptions> options = parse_daemon_options(GetParam().args);
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_TRUE(GetParam().check(*options));
}

using O = const DaemonOptions&;

INSTANTIATE_TEST_SUITE_P(DaemonOptions, AcceptTest,
                         testing::Values(
                             AcceptCase{"daemon",
                                        {"--daemon"},
                                        [](O o) { return o.mode == Mode::daemon; }},
                             AcceptCase{
                                 "inetd", {"--inetd"}, [](O o) { return o.mode == Mode::inetd; }},
                             AcceptCase{"daemon_twice",
                                        {"--daemon", "--daemon"},
                                        [](O o) { return o.mode == Mode::daemon; }},
                             AcceptCase{"no_detach",
                                        {"--no-detach"},
                                        [](O o) { return o.no_detach && !o.no_fork; }},
                             AcceptCase{"no_fork",
                                        {"--no-fork"},
                                        [](O o) { return o.no_fork && !o.no_detach; }},
                             AcceptCase{"no_fifo",
                                        {"--no-fifo"},
                                        [](O o) { return o.mode == Mode::unspecified; }},
                             AcceptCase{"wizard",
                                        {"--wizard"},
                                        [](O o) {
                                          return o.mode == Mode::daemon && o.no_detach &&
                                                 o.no_fork && o.log_stderr &&
                                                 o.log_level == "debug";
                                        }},
                             AcceptCase{"wizard_short",
                                        {"-W"},
                                        [](O o) { return o.mode == Mode::daemon && o.no_fork; }},
                             AcceptCase{"wizard_then_daemon",
                                        {"-W", "--daemon"},
                                        [](O o) { return o.mode == Mode::daemon; }},
                             AcceptCase{
                                 "port", {"--port", "4000"}, [](O o) { return o.port == 4000; }},
                             AcceptCase{"port_equals",
                                        {"--port=4000"},
                                        [](O o) { return o.port == 4000; }},
                             AcceptCase{
                                 "port_short", {"-p", "4000"}, [](O o) { return o.port == 4000; }},
                             AcceptCase{"port_short_attached",
                                        {"-p4000"},
                                        [](O o) { return o.port == 4000; }},
                             AcceptCase{
                                 "port_zero", {"--port", "0"}, [](O o) { return o.port == 0; }},
                             AcceptCase{"port_max",
                                        {"--port", "65535"},
                                        [](O o) { return o.port == 65535; }},
                             AcceptCase{"port_last_wins",
                                        {"-p", "1", "-p", "2"},
                                        [](O o) { return o.port == 2; }},
                             AcceptCase{"stats",
                                        {"--stats"},
                                        [](O o) { return o.stats && !o.stats_port; }},
                             AcceptCase{"stats_port",
                                        {"--stats-port", "4001"},
                                        [](O o) { return o.stats_port == 4001; }},
                             AcceptCase{"stats_port_zero",
                                        {"--stats-port=0"},
                                        [](O o) { return o.stats_port == 0; }},
                             AcceptCase{
                                 "listen",
                                 {"--listen", "127.0.0.1"},
                                 [](O o) { return o.listen_addresses == Args{"127.0.0.1"}; }},
                             AcceptCase{"listen_repeat",
                                        {"--listen", "127.0.0.1", "--listen=::1"},
                                        [](O o) {
                                          return o.listen_addresses == Args{"127.0.0.1", "::1"};
                                        }},
                             AcceptCase{"allow",
                                        {"--allow", "10.0.0.0/8"},
                                        [](O o) { return o.allow == Args{"10.0.0.0/8"}; }},
                             AcceptCase{"allow_repeat",
                                        {"-a", "10.0.0.0/8", "-a::1", "--allow=fe80::/10"},
                                        [](O o) {
                                          return o.allow == Args{"10.0.0.0/8", "::1", "fe80::/10"};
                                        }},
                             AcceptCase{"allow_private",
                                        {"--allow-private"},
                                        [](O o) { return o.allow_private; }},
                             AcceptCase{"jobs", {"--jobs", "8"}, [](O o) { return o.jobs == 8; }},
                             AcceptCase{"jobs_short", {"-j", "1"}, [](O o) { return o.jobs == 1; }},
                             AcceptCase{
                                 "jobs_attached", {"-j16"}, [](O o) { return o.jobs == 16; }},
                             AcceptCase{"jobs_max_beyond_3_4_cap",
                                        {"--jobs=1024"},
                                        [](O o) { return o.jobs == 1024; }},
                             AcceptCase{"nice", {"--nice", "10"}, [](O o) { return o.nice == 10; }},
                             AcceptCase{"nice_short", {"-N", "0"}, [](O o) { return o.nice == 0; }},
                             AcceptCase{
                                 "nice_negative", {"-N", "-5"}, [](O o) { return o.nice == -5; }},
                             AcceptCase{"nice_negative_equals",
                                        {"--nice=-5"},
                                        [](O o) { return o.nice == -5; }},
                             AcceptCase{"user",
                                        {"--user", "distccd"},
                                        [](O o) { return o.user == "distccd"; }},
                             AcceptCase{"pid_file",
                                        {"--pid-file", "/run/d.pid"},
                                        [](O o) { return o.pid_file == "/run/d.pid"; }},
                             AcceptCase{"pid_file_short",
                                        {"-P", "/run/d.pid"},
                                        [](O o) { return o.pid_file == "/run/d.pid"; }},
                             AcceptCase{"log_file",
                                        {"--log-file=/tmp/d.log"},
                                        [](O o) { return o.log_file == "/tmp/d.log"; }},
                             AcceptCase{"log_level_critical",
                                        {"--log-level", "critical"},
                                        [](O o) { return o.log_level == "critical"; }},
                             AcceptCase{"log_level_error",
                                        {"--log-level=error"},
                                        [](O o) { return o.log_level == "error"; }},
                             AcceptCase{"log_level_warning",
                                        {"--log-level=warning"},
                                        [](O o) { return o.log_level == "warning"; }},
                             AcceptCase{"log_level_info",
                                        {"--log-level=info"},
                                        [](O o) { return o.log_level == "info"; }},
                             AcceptCase{"log_level_debug",
                                        {"--log-level=debug"},
                                        [](O o) { return o.log_level == "debug"; }},
                             AcceptCase{"verbose",
                                        {"--verbose"},
                                        [](O o) { return o.log_level == "debug"; }},
                             AcceptCase{"verbose_then_level",
                                        {"--verbose", "--log-level=info"},
                                        [](O o) { return o.log_level == "info"; }},
                             AcceptCase{
                                 "log_stderr", {"--log-stderr"}, [](O o) { return o.log_stderr; }},
                             AcceptCase{"job_lifetime",
                                        {"--job-lifetime", "300"},
                                        [](O o) { return o.job_lifetime.count() == 300; }},
                             AcceptCase{"lifetime",
                                        {"--lifetime=5"},
                                        [](O o) { return o.lifetime.count() == 5; }},
                             AcceptCase{"tcp_insecure",
                                        {"--enable-tcp-insecure"},
                                        [](O o) { return o.enable_tcp_insecure; }},
                             AcceptCase{"botnet_alias",
                                        {"--make-me-a-botnet"},
                                        [](O o) { return o.enable_tcp_insecure; }},
                             AcceptCase{"listen_value_looks_like_option",
                                        {"--listen", "--daemon"},
                                        [](O o) {
                                          return o.listen_addresses == Args{"--daemon"} &&
                                                 o.mode == Mode::unspecified;
                                        }},
                             AcceptCase{"double_dash_ends",
                                        {"--daemon", "--"},
                                        [](O o) { return o.mode == Mode::daemon; }},
                             AcceptCase{"help", {"--help"}, [](O o) { return o.show_help; }},
                             AcceptCase{
                                 "version", {"--version"}, [](O o) { return o.show_version; }},
                             // Like 3.4's popt, --help/--version act at once: later mistakes are
                             // not reported.
                             AcceptCase{"version_stops_parse",
                                        {"--version", "--bogus"},
                                        [](O o) { return o.show_version; }},
                             AcceptCase{"help_stops_parse",
                                        {"-p", "1", "--help", "-p", "x"},
                                        [](O o) { return o.show_help && o.port == 1; }},
                             AcceptCase{"debian_init_style",
                                        {"--pid-file=/var/run/distccd.pid",
                                         "--log-file=/var/log/distccd.log", "--daemon", "--allow",
                                         "192.168.0.0/16", "--listen", "0.0.0.0", "--nice", "10",
                                         "--jobs", "6"},
                                        [](O o) {
                                          return o.pid_file == "/var/run/distccd.pid" &&
                                                 o.log_file == "/var/log/distccd.log" &&
                                                 o.mode == Mode::daemon &&
                                                 o.allow == Args{"192.168.0.0/16"} &&
                                                 o.listen_addresses == Args{"0.0.0.0"} &&
                                                 o.nice == 10 && o.jobs == 6;
                                        }}),
                         [](const testing::TestParamInfo<AcceptCase>& info) {
                           return std::string(info.param.name);
                         });

// ---- Errors -------------------------------------------------------------------------------

struct RejectCase {
  const char* name;
  Args args;
  const char* message;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.name; }

class RejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(RejectTest, NamesTheOption) {
  Result<DaemonOptions> options = parse_daemon_options(GetParam().args);
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().code, ExitCode::bad_arguments);
  EXPECT_EQ(options.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    DaemonOptions, RejectTest,
    testing::Values(
        RejectCase{"unknown_long", {"--bogus"}, "--bogus: unknown option (see distccd --help)"},
        RejectCase{
            "unknown_long_value", {"--bogus=1"}, "--bogus: unknown option (see distccd --help)"},
        RejectCase{"unknown_short", {"-x"}, "-x: unknown option (see distccd --help)"},
        RejectCase{
            "bundled_short", {"-Wp"}, "-W: unknown option (short options cannot be combined)"},
        RejectCase{"flag_with_value", {"--daemon=yes"}, "--daemon: takes no value"},
        RejectCase{"positional", {"foo"}, "foo: unexpected argument (distccd takes only options)"},
        RejectCase{"lone_dash", {"-"}, "-: unexpected argument (distccd takes only options)"},
        RejectCase{"after_double_dash", {"--", "--version"}, "--version: unexpected argument"},
        RejectCase{"daemon_and_inetd",
                   {"--daemon", "--inetd"},
                   "--inetd: --daemon (or --wizard) and --inetd cannot be combined"},
        RejectCase{"inetd_and_wizard",
                   {"--inetd", "-W"},
                   "-W: --daemon (or --wizard) and --inetd cannot be combined"},
        RejectCase{"port_missing", {"--port"}, "--port: needs a value"},
        RejectCase{"port_short_missing", {"-p"}, "-p: needs a value"},
        RejectCase{"port_text", {"--port", "x"}, R"(--port: "x" is not a number)"},
        RejectCase{"port_trailing", {"-p", "4000x"}, R"(-p: "4000x" is not a number)"},
        RejectCase{"port_empty", {"--port="}, R"(--port: "" is not a number)"},
        RejectCase{"port_negative", {"--port", "-1"}, R"(--port: "-1" is not in 0-65535)"},
        RejectCase{"port_too_big", {"--port", "70000"}, R"(--port: "70000" is not in 0-65535)"},
        RejectCase{"stats_port_bad",
                   {"--stats-port", "65536"},
                   R"(--stats-port: "65536" is not in 0-65535)"},
        RejectCase{"jobs_zero", {"--jobs", "0"}, R"(--jobs: "0" is not in 1-1024)"},
        RejectCase{"jobs_too_many", {"-j", "1025"}, R"(-j: "1025" is not in 1-1024)"},
        RejectCase{"jobs_text", {"--jobs=5x"}, R"(--jobs: "5x" is not a number)"},
        RejectCase{"jobs_overflow",
                   {"--jobs", "99999999999999999999"},
                   R"(--jobs: "99999999999999999999" is not in 1-1024)"},
        RejectCase{"nice_text", {"-N", "x"}, R"(-N: "x" is not a number)"},
        RejectCase{"job_lifetime_negative",
                   {"--job-lifetime", "-3"},
                   R"(--job-lifetime: "-3" is not in 0-2147483647)"},
        RejectCase{
            "job_lifetime_text", {"--job-lifetime", "x"}, R"(--job-lifetime: "x" is not a number)"},
        RejectCase{"lifetime_text", {"--lifetime", "1.5"}, R"(--lifetime: "1.5" is not a number)"},
        RejectCase{
            "log_level_bad",
            {"--log-level", "foo"},
            R"(--log-level: unknown level "foo" (critical, error, warning, notice, info, debug))"},
        RejectCase{
            "log_level_upper",
            {"--log-level=DEBUG"},
            R"(--log-level: unknown level "DEBUG" (critical, error, warning, notice, info, debug))"},
        RejectCase{"allow_bad_prefix",
                   {"--allow", "10.0.0.0/33"},
                   R"(invalid --allow rule "10.0.0.0/33": prefix length must be 0-32)"},
        RejectCase{"allow_name",
                   {"-a", "foo"},
                   R"(invalid --allow rule "foo": "foo" is not a numeric IPv4 or IPv6 address)"},
        RejectCase{"allow_missing", {"--allow"}, "--allow: needs a value"},
        RejectCase{"listen_empty", {"--listen="}, "--listen: needs a non-empty address"},
        RejectCase{"user_empty", {"--user", ""}, "--user: needs a non-empty value"},
        RejectCase{"pid_file_empty", {"-P", ""}, "-P: needs a non-empty value"},
        RejectCase{"log_file_empty", {"--log-file="}, "--log-file: needs a non-empty value"},
        RejectCase{"zeroconf", {"--zeroconf"}, "--zeroconf: zeroconf is not supported yet"},
        RejectCase{"auth", {"--auth"}, "--auth: GSS-API authentication is not supported"},
        RejectCase{"blacklist",
                   {"--blacklist=/etc/x"},
                   "--blacklist: GSS-API authentication is not supported"},
        RejectCase{"whitelist",
                   {"--whitelist", "/etc/x"},
                   "--whitelist: GSS-API authentication is not supported"},
        RejectCase{"show_principal",
                   {"--show-principal"},
                   "--show-principal: GSS-API authentication is not supported"}),
    [](const testing::TestParamInfo<RejectCase>& info) { return std::string(info.param.name); });

TEST(DaemonOptionsTest, ErrorStopsAtFirstProblem) {
  Result<DaemonOptions> options = parse_daemon_options(Args{"--jobs", "0", "--bogus"});
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().message, R"(--jobs: "0" is not in 1-1024)");
}

TEST(DaemonOptionsTest, UsageListsEveryOption) {
  std::string usage = daemon_usage_text();
  for (const char* option : {"--help",
                             "--version",
                             "--pid-file",
                             "-P,",
                             "--nice",
                             "-N,",
                             "--user",
                             "--jobs",
                             "-j,",
                             "--job-lifetime",
                             "--lifetime",
                             "--enable-tcp-insecure",
                             "--make-me-a-botnet",
                             "--port",
                             "-p,",
                             "--listen",
                             "--allow ",
                             "-a,",
                             "--allow-private",
                             "--stats ",
                             "--stats-port",
                             "--log-file",
                             "--log-level",
                             "--verbose",
                             "--log-stderr",
                             "--daemon",
                             "--inetd",
                             "--no-detach",
                             "--no-fork",
                             "--no-fifo",
                             "--wizard",
                             "-W,"}) {
    EXPECT_NE(usage.find(option), std::string::npos) << option;
  }
  for (const char* level : {"critical", "error", "warning", "notice", "info", "debug"}) {
    EXPECT_NE(usage.find(level), std::string::npos) << level;
  }
  EXPECT_EQ(usage.find("zeroconf"), std::string::npos);
  EXPECT_EQ(usage.find("GSS"), std::string::npos);
}

TEST(DaemonOptionsTest, EveryUsageOptionParses) {
  // Each flag named in the usage text is accepted on its own.
  for (const char* flag : {"--help", "--version", "--enable-tcp-insecure", "--make-me-a-botnet",
                           "--allow-private", "--stats", "--verbose", "--log-stderr", "--daemon",
                           "--inetd", "--no-detach", "--no-fork", "--no-fifo", "--wizard", "-W"}) {
    EXPECT_TRUE(parse_daemon_options(Args{flag}).ok()) << flag;
  }
}

}  // namespace
}  // namespace dcc
