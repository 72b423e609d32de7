#include "common/host_source.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dcc {
namespace {

// A file system of a few readable files that records every path asked for.
class FakeFiles {
 public:
  using Files = std::map<std::string, std::string>;
  explicit FakeFiles(Files files) : files_(std::move(files)) {}

  ReadFile reader() {
    return [this](const std::string& path) -> std::optional<std::string> {
      asked.push_back(path);
      auto it = files_.find(path);
      if (it == files_.end()) return std::nullopt;
      return it->second;
    };
  }

  std::vector<std::string> asked;

 private:
  std::map<std::string, std::string> files_;
};

HostSourceInputs inputs(std::optional<std::string> env, std::string dir = "/home/u/.distcc") {
  HostSourceInputs in;
  in.env_hosts = std::move(env);
  in.distcc_dir = std::move(dir);
  return in;
}

TEST(HostSourceTest, EnvironmentWinsAndNoFileIsRead) {
  FakeFiles fs(
      FakeFiles::Files{{"/home/u/.distcc/hosts", "filehost"}, {"/etc/distcc/hosts", "syshost"}});
  auto found = find_host_list(inputs("a/3 b"), fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "DISTCC_HOSTS");
  EXPECT_EQ(found->text, "a/3 b");
  EXPECT_TRUE(fs.asked.empty());
}

TEST(HostSourceTest, EmptyEnvironmentStillWins) {
  FakeFiles fs(FakeFiles::Files{{"/home/u/.distcc/hosts", "filehost"}});
  auto found = find_host_list(inputs(""), fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "DISTCC_HOSTS");
  EXPECT_EQ(found->text, "");
}

TEST(HostSourceTest, UserFileBeforeSystemFile) {
  FakeFiles fs(
      FakeFiles::Files{{"/home/u/.distcc/hosts", "filehost"}, {"/etc/distcc/hosts", "syshost"}});
  auto found = find_host_list(inputs(std::nullopt), fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "/home/u/.distcc/hosts");
  EXPECT_EQ(found->text, "filehost");
  EXPECT_EQ(fs.asked, std::vector<std::string>{"/home/u/.distcc/hosts"});
}

TEST(HostSourceTest, EmptyUserFileStillWins) {
  FakeFiles fs(FakeFiles::Files{{"/home/u/.distcc/hosts", ""}, {"/etc/distcc/hosts", "syshost"}});
  auto found = find_host_list(inputs(std::nullopt), fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "/home/u/.distcc/hosts");
  EXPECT_EQ(found->text, "");
}

TEST(HostSourceTest, SystemFileWhenUserFileMissing) {
  FakeFiles fs(FakeFiles::Files{{"/etc/distcc/hosts", "syshost"}});
  auto found = find_host_list(inputs(std::nullopt), fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "/etc/distcc/hosts");
  EXPECT_EQ(found->text, "syshost");
  EXPECT_EQ(fs.asked, (std::vector<std::string>{"/home/u/.distcc/hosts", "/etc/distcc/hosts"}));
}

TEST(HostSourceTest, CustomSystemFile) {
  FakeFiles fs(FakeFiles::Files{{"/usr/local/etc/distcc/hosts", "syshost"}});
  HostSourceInputs in = inputs(std::nullopt);
  in.system_hosts_file = "/usr/local/etc/distcc/hosts";
  auto found = find_host_list(in, fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "/usr/local/etc/distcc/hosts");
}

TEST(HostSourceTest, NothingAnywhere) {
  FakeFiles fs(FakeFiles::Files{});
  EXPECT_FALSE(find_host_list(inputs(std::nullopt), fs.reader()));
  EXPECT_EQ(fs.asked.size(), 2u);
}

TEST(HostSourceTest, UnknownDistccDirSkipsUserFile) {
  FakeFiles fs(FakeFiles::Files{{"/etc/distcc/hosts", "syshost"}});
  auto found = find_host_list(inputs(std::nullopt, ""), fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "/etc/distcc/hosts");
  EXPECT_EQ(fs.asked, std::vector<std::string>{"/etc/distcc/hosts"});
}

TEST(HostSourceTest, DistccDirWithTrailingSlash) {
  FakeFiles fs(FakeFiles::Files{{"/tmp/dd/hosts", "x"}});
  auto found = find_host_list(inputs(std::nullopt, "/tmp/dd/"), fs.reader());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source_name, "/tmp/dd/hosts");
}

TEST(HostSourceTest, UserHostsPath) {
  EXPECT_EQ(user_hosts_path("/home/u/.distcc"), "/home/u/.distcc/hosts");
  EXPECT_EQ(user_hosts_path("/home/u/.distcc//"), "/home/u/.distcc/hosts");
  EXPECT_EQ(user_hosts_path("/"), "/hosts");
  EXPECT_EQ(user_hosts_path("rel"), "rel/hosts");
  EXPECT_EQ(user_hosts_path(""), "");
}

}  // namespace
}  // namespace dcc
