#include "client/client_config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace dcc {
namespace {

using namespace std::chrono_literals;

ClientConfig config_from(const Environment& env) {
  auto config = ClientConfig::from_env(env);
  EXPECT_TRUE(config.ok()) << config.error().message;
  return config.ok() ? *config : ClientConfig{};
}

TEST(ClientConfig, DefaultsFromAnEmptyEnvironment) {
  ClientConfig c = config_from({{"HOME", "/home/u"}});
  EXPECT_FALSE(c.hosts_env.has_value());
  EXPECT_EQ(c.distcc_dir, "/home/u/.distcc");
  EXPECT_FALSE(c.distcc_dir_from_env);
  EXPECT_EQ(c.tmp_dir, "/tmp");
  EXPECT_EQ(c.safeguard_level, 0);
  EXPECT_FALSE(c.verbose);
  EXPECT_FALSE(c.log_file.has_value());
  EXPECT_EQ(c.uncached_err_fd, -1);
  EXPECT_TRUE(c.fallback);
  EXPECT_FALSE(c.skip_local_retry);
  EXPECT_FALSE(c.save_temps);
  EXPECT_FALSE(c.no_rewrite_cross);
  EXPECT_EQ(c.io_timeout, 300s);
  EXPECT_FALSE(c.ssh_command.has_value());
}

// ---- DISTCC_IO_TIMEOUT
// ---------------------------------------------------------------------------

TEST(ClientConfig, IoTimeoutInSeconds) {
  EXPECT_EQ(config_from({{"DISTCC_IO_TIMEOUT", "5"}}).io_timeout, 5s);
  EXPECT_EQ(config_from({{"DISTCC_IO_TIMEOUT", "3600"}}).io_timeout, 3600s);
  // 3.4 reads an int: the largest is accepted, and must not overflow as milliseconds.
  EXPECT_EQ(config_from({{"DISTCC_IO_TIMEOUT", "2147483647"}}).io_timeout, 2147483647s);
}

class BadIoTimeout : public testing::TestWithParam<const char*> {};

TEST_P(BadIoTimeout, IsABadArgument) {
  auto config = ClientConfig::from_env({{"DISTCC_IO_TIMEOUT", GetParam()}});
  ASSERT_FALSE(config.ok()) << "accepted \"" << GetParam() << "\"";
  EXPECT_EQ(config.error().code, ExitCode::bad_arguments);
  EXPECT_NE(config.error().message.find("DISTCC_IO_TIMEOUT"), std::string::npos)
      << config.error().message;
}

INSTANTIATE_TEST_SUITE_P(ClientConfig, BadIoTimeout,
                         testing::Values("junk", "0", "-1", "", "5s", "1.5", "0x10", "-0",
                                         "2147483648", "99999999999999999999",
                                         "-99999999999999999999"));

// ---- booleans and flags
// --------------------------------------------------------------------------

TEST(ClientConfig, FallbackOnlyAcceptsZeroAndOne) {
  EXPECT_FALSE(config_from({{"DISTCC_FALLBACK", "0"}}).fallback);
  EXPECT_TRUE(config_from({{"DISTCC_FALLBACK", "1"}}).fallback);
  for (const char* other : {"", "no", "false", "00", " 0", "0 ", "2", "off"}) {
    EXPECT_TRUE(config_from({{"DISTCC_FALLBACK", other}}).fallback) << "\"" << other << "\"";
  }
}

TEST(ClientConfig, EnvFlagDefaultsForAnythingButZeroOrOne) {
  Environment env = {{"A", "1"}, {"B", "0"}, {"C", "yes"}};
  EXPECT_TRUE(env_flag(env, "A", false));
  EXPECT_FALSE(env_flag(env, "B", true));
  EXPECT_TRUE(env_flag(env, "C", true));
  EXPECT_FALSE(env_flag(env, "C", false));
  EXPECT_TRUE(env_flag(env, "unset", true));
  EXPECT_FALSE(env_flag(env, "unset", false));
}

TEST(ClientConfig, SaveTempsIsABoolean) {
  EXPECT_TRUE(config_from({{"DISTCC_SAVE_TEMPS", "1"}}).save_temps);
  EXPECT_FALSE(config_from({{"DISTCC_SAVE_TEMPS", "yes"}}).save_temps);
}

TEST(ClientConfig, VerboseOnlyForOne) {
  EXPECT_TRUE(config_from({{"DISTCC_VERBOSE", "1"}}).verbose);
  EXPECT_FALSE(config_from({{"DISTCC_VERBOSE", "0"}}).verbose);
  EXPECT_FALSE(config_from({{"DISTCC_VERBOSE", "yes"}}).verbose);
}

TEST(ClientConfig, SetAtAllFlagsCountEvenWhenZeroOrEmpty) {
  for (const char* value : {"", "0", "1", "anything"}) {
    ClientConfig c =
        config_from({{"DISTCC_SKIP_LOCAL_RETRY", value}, {"DISTCC_NO_REWRITE_CROSS", value}});
    EXPECT_TRUE(c.skip_local_retry) << value;
    EXPECT_TRUE(c.no_rewrite_cross) << value;
  }
}

// ---- _DISTCC_SAFEGUARD
// ---------------------------------------------------------------------------

TEST(ClientConfig, SafeguardLevel) {
  EXPECT_EQ(config_from({}).safeguard_level, 0);
  EXPECT_EQ(config_from({{"_DISTCC_SAFEGUARD", "1"}}).safeguard_level, 1);
  EXPECT_EQ(config_from({{"_DISTCC_SAFEGUARD", "3"}}).safeguard_level, 3);
  // Non-numeric (or zero) still means "we are inside distcc": one level, as atoi() == 0 in 3.4.
  for (const char* value : {"yes", "", "0", "x1"}) {
    EXPECT_EQ(config_from({{"_DISTCC_SAFEGUARD", value}}).safeguard_level, 1)
        << "\"" << value << "\"";
  }
  EXPECT_EQ(config_from({{"_DISTCC_SAFEGUARD", "2junk"}}).safeguard_level, 2);
}

// ---- directories and files
// -----------------------------------------------------------------------

TEST(ClientConfig, DistccDirFromTheEnvironmentWins) {
  ClientConfig c = config_from({{"DISTCC_DIR", "/var/distcc"}, {"HOME", "/home/u"}});
  EXPECT_EQ(c.distcc_dir, "/var/distcc");
  EXPECT_TRUE(c.distcc_dir_from_env);
}

TEST(ClientConfig, DistccDirDefaultsToDotDistccInHome) {
  EXPECT_EQ(config_from({{"HOME", "/home/alice"}}).distcc_dir, "/home/alice/.distcc");
  ClientConfig empty = config_from({{"DISTCC_DIR", ""}, {"HOME", "/home/bob"}});
  EXPECT_EQ(empty.distcc_dir, "/home/bob/.distcc");
  EXPECT_FALSE(empty.distcc_dir_from_env);
}

TEST(ClientConfig, TmpdirWithoutTrailingSlashes) {
  EXPECT_EQ(config_from({{"TMPDIR", "/scratch/tmp//"}}).tmp_dir, "/scratch/tmp");
  EXPECT_EQ(config_from({{"TMPDIR", "/"}}).tmp_dir, "/");
  EXPECT_EQ(config_from({{"TMPDIR", ""}}).tmp_dir, "/tmp");
}

TEST(ClientConfig, HostsSetEvenWhenEmpty) {
  EXPECT_EQ(config_from({{"DISTCC_HOSTS", ""}}).hosts_env, std::optional<std::string>(""));
  EXPECT_EQ(config_from({{"DISTCC_HOSTS", "a b/2"}}).hosts_env,
            std::optional<std::string>("a b/2"));
}

TEST(ClientConfig, LogFileOnlyWhenNonEmpty) {
  EXPECT_EQ(config_from({{"DISTCC_LOG", "/tmp/distcc.log"}}).log_file,
            std::optional<std::string>("/tmp/distcc.log"));
  EXPECT_FALSE(config_from({{"DISTCC_LOG", ""}}).log_file.has_value());
}

TEST(ClientConfig, UncachedErrFdOnlyWhenPositive) {
  EXPECT_EQ(config_from({{"UNCACHED_ERR_FD", "7"}}).uncached_err_fd, 7);
  EXPECT_EQ(config_from({{"UNCACHED_ERR_FD", "0"}}).uncached_err_fd, -1);
  EXPECT_EQ(config_from({{"UNCACHED_ERR_FD", "junk"}}).uncached_err_fd, -1);
  EXPECT_EQ(config_from({{"UNCACHED_ERR_FD", "-3"}}).uncached_err_fd, -1);
}

TEST(ClientConfig, BackoffPeriodAndPauseTime) {
  EXPECT_EQ(config_from({}).backoff_period, 60s);
  EXPECT_EQ(config_from({{"DISTCC_BACKOFF_PERIOD", "0"}}).backoff_period, 0s);
  EXPECT_EQ(config_from({{"DISTCC_BACKOFF_PERIOD", "5"}}).backoff_period, 5s);
  EXPECT_EQ(config_from({{"DISTCC_BACKOFF_PERIOD", "junk"}}).backoff_period, 60s);
  EXPECT_EQ(config_from({{"DISTCC_BACKOFF_PERIOD", "-1"}}).backoff_period, 60s);
  EXPECT_EQ(config_from({}).pause_time, 1000ms);
  EXPECT_EQ(config_from({{"DISTCC_PAUSE_TIME_MSEC", "0"}}).pause_time, 0ms);
  EXPECT_EQ(config_from({{"DISTCC_PAUSE_TIME_MSEC", "250"}}).pause_time, 250ms);
}

TEST(ClientConfig, PathIsKept) {
  EXPECT_EQ(config_from({{"PATH", "/a:/b"}}).path, "/a:/b");
  EXPECT_FALSE(config_from({}).path.empty());
}

// DISTCC_SSH is kept verbatim: it is split per connection, and a malformed value must fail only
// the jobs that use an ssh host (with a message), not every distcc run.
TEST(ClientConfig, DistccSshIsKeptVerbatim) {
  EXPECT_EQ(config_from({{"DISTCC_SSH", "ssh -p 2222 -o 'A B'"}}).ssh_command, "ssh -p 2222 -o 'A B'");
  EXPECT_EQ(config_from({{"DISTCC_SSH", "ssh 'unterminated"}}).ssh_command, "ssh 'unterminated");
  EXPECT_EQ(config_from({{"DISTCC_SSH", ""}}).ssh_command, "");
}

TEST(SnapshotEnvironment, SeesTheProcessEnvironment) {
  ASSERT_EQ(::setenv("DCC_CLIENT_CONFIG_TEST", "a=b", 1), 0);
  Environment env = snapshot_environment();
  ::unsetenv("DCC_CLIENT_CONFIG_TEST");
  EXPECT_EQ(env["DCC_CLIENT_CONFIG_TEST"], "a=b") << "the value is everything after the first '='";
}

}  // namespace
}  // namespace dcc
