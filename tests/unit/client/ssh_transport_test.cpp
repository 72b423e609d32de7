#include "client/ssh_transport.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace dcc {
namespace {

using Argv = std::vector<std::string>;

HostSpec ssh_host(std::string_view text) {
  auto list = parse_hosts(text);
  EXPECT_TRUE(list.ok()) << list.error().message;
  if (!list.ok() || list->hosts.empty()) return HostSpec{};
  EXPECT_EQ(list->hosts[0].kind, HostKind::ssh);
  return list->hosts[0];
}

Argv argv_for(std::string_view hosts, const std::optional<std::string>& distcc_ssh = std::nullopt) {
  auto argv = build_ssh_argv(ssh_host(hosts), distcc_ssh);
  EXPECT_TRUE(argv.ok()) << argv.error().message;
  return argv.ok() ? *argv : Argv{};
}

TEST(SshArgv, DefaultsAreSshAndDistccd) {
  EXPECT_EQ(argv_for("@build1"), (Argv{"ssh", "build1", "distccd", "--inetd", "--enable-tcp-insecure"}));
}

TEST(SshArgv, UserBecomesDashL) {
  EXPECT_EQ(argv_for("alice@build1"),
            (Argv{"ssh", "-l", "alice", "build1", "distccd", "--inetd", "--enable-tcp-insecure"}));
}

TEST(SshArgv, CommandLimitAndOptions) {
  EXPECT_EQ(argv_for("alice@build1/8:/opt/bin/distccd,lzo"),
            (Argv{"ssh", "-l", "alice", "build1", "/opt/bin/distccd", "--inetd", "--enable-tcp-insecure"}));
  EXPECT_EQ(argv_for("@[::1]:/x/distccd"), (Argv{"ssh", "::1", "/x/distccd", "--inetd", "--enable-tcp-insecure"}));
}

TEST(SshArgv, DistccSshWordsComeFirst) {
  EXPECT_EQ(argv_for("u@h", "ssh -p 2222 -o 'ProxyCommand=nc %h %p' -i \"/my keys/id\""),
            (Argv{"ssh", "-p", "2222", "-o", "ProxyCommand=nc %h %p", "-i", "/my keys/id", "-l", "u", "h", "distccd",
                  "--inetd", "--enable-tcp-insecure"}));
  EXPECT_EQ(argv_for("@h", "/usr/local/bin/myssh"),
            (Argv{"/usr/local/bin/myssh", "h", "distccd", "--inetd", "--enable-tcp-insecure"}));
}

TEST(SshArgv, EmptyOrBlankDistccSshMeansSsh) {
  EXPECT_EQ(argv_for("@h", ""), (Argv{"ssh", "h", "distccd", "--inetd", "--enable-tcp-insecure"}));
  EXPECT_EQ(argv_for("@h", " \t "), (Argv{"ssh", "h", "distccd", "--inetd", "--enable-tcp-insecure"}));
}

// 3.4 bug #434: strtok mutated DISTCC_SSH, so only the first connection of a process honoured it.
TEST(SshArgv, SplittingDoesNotConsumeTheValue) {
  const std::optional<std::string> distcc_ssh = "ssh -p 2222";
  HostSpec host = ssh_host("@h");
  auto first = build_ssh_argv(host, distcc_ssh);
  auto second = build_ssh_argv(host, distcc_ssh);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ((*second)[1], "-p");
}

TEST(SshArgv, MalformedDistccSshNamesTheVariableAndTheCause) {
  auto argv = build_ssh_argv(ssh_host("@h"), "ssh -o 'Port 22");
  ASSERT_FALSE(argv.ok());
  EXPECT_EQ(argv.error().code, ExitCode::bad_arguments);
  EXPECT_EQ(argv.error().message, "DISTCC_SSH=\"ssh -o 'Port 22\": unterminated single quote (opened at column 8)");
}

TEST(SshArgv, HostNameThatLooksLikeAnOptionIsRefused) {
  HostSpec host = ssh_host("@h");
  host.hostname = "-oProxyCommand=touch /tmp/x";
  auto argv = build_ssh_argv(host, std::nullopt);
  ASSERT_FALSE(argv.ok());
  EXPECT_NE(argv.error().message.find("starts with '-'"), std::string::npos);
}

TEST(SshWhere, NamesUserAndHost) {
  EXPECT_EQ(ssh_where(ssh_host("@build1")), "ssh:build1");
  EXPECT_EQ(ssh_where(ssh_host("alice@build1/4:/x,lzo")), "ssh:alice@build1");
}

}  // namespace
}  // namespace dcc
