#include "daemon/orphans.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

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

}  // namespace
}  // namespace dcc
