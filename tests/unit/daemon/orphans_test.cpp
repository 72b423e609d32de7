#include "daemon/orphans.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "../test_support.h"
#include "common/fd_io.h"

namespace dcc {
namespace {

TEST(OrphansTest, ParentPidFromAPlainStatLine) {
  EXPECT_EQ(parent_pid_from_stat("4242 (sh) S 17 4242 4242 0 -1 4194560 100"), 17);
}

TEST(OrphansTest, ParentPidWhenTheCommandHasSpacesAndParentheses) {
  EXPECT_EQ(parent_pid_from_stat("99 (a) b (c) R 1 99 99 0 -1"), 1);
}

TEST(OrphansTest, MalformedStatLinesGiveNothing) {
  EXPECT_EQ(parent_pid_from_stat(""), std::nullopt);
  EXPECT_EQ(parent_pid_from_stat("12 (sh S 1"), std::nullopt);
  EXPECT_EQ(parent_pid_from_stat("12 (sh) S"), std::nullopt);
  EXPECT_EQ(parent_pid_from_stat("12 (sh) S x1 2"), std::nullopt);
}

TEST(OrphansTest, OurOwnStatLineNamesOurParent) {
  auto stat = read_file("/proc/self/stat");
  ASSERT_TRUE(stat);
  EXPECT_EQ(parent_pid_from_stat(*stat), ::getppid());
}

TEST(OrphansTest, JobTempDirsOfOneWorkerAreRemovedAndNothingElse) {
  test::ScratchDir root("orphans");
  test::ScratchDir outside("orphans_outside");
  ASSERT_TRUE(root.ready() && outside.ready());
  test::spit(outside.file("keep"), "x");
  for (const char* name : {"distccd_w123_aaaaaa", "distccd_w123_bbbbbb", "distccd_w1234_cccccc", "distccd_dddddd", "other"}) {
    std::filesystem::create_directories(root.file(name) + "/root/usr");
  }
  // A pump job's tree holds client-made symlinks: removal must not follow them.
  std::filesystem::create_directory_symlink(outside.path(), root.file("distccd_w123_aaaaaa") + "/root/usr/link");
  EXPECT_EQ(job_temp_prefix(123), "distccd_w123");
  EXPECT_EQ(remove_job_temp_dirs(root.path(), 123), 2);
  EXPECT_EQ(root.entries(), (std::vector<std::string>{"distccd_dddddd", "distccd_w1234_cccccc", "other"}));
  EXPECT_EQ(outside.entries(), std::vector<std::string>{"keep"});
  EXPECT_EQ(remove_job_temp_dirs(root.path() + "/missing", 123), 0);
}

}  // namespace
}  // namespace dcc
