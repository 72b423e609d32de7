#include "tools/monitor/state_dir.h"

#include <gtest/gtest.h>

namespace dcc::monitor {
namespace {

TEST(StateDir, DistccDirWins) {
  EXPECT_EQ(state_dir_from_env({{"DISTCC_DIR", "/var/tmp/portage/.distcc"}, {"HOME", "/root"}}),
            "/var/tmp/portage/.distcc/state");
}

TEST(StateDir, TrailingSlashesDoNotDouble) {
  EXPECT_EQ(state_dir_from_env({{"DISTCC_DIR", "/d//"}}), "/d/state");
}

TEST(StateDir, EmptyDistccDirMeansHome) {
  EXPECT_EQ(state_dir_from_env({{"DISTCC_DIR", ""}, {"HOME", "/home/u"}}), "/home/u/.distcc/state");
  EXPECT_EQ(state_dir_from_env({{"HOME", "/home/u"}}), "/home/u/.distcc/state");
}

// The client falls back to "/" + "/.distcc" too; both must name the same directory.
TEST(StateDir, NoHomeAtAll) { EXPECT_EQ(state_dir_from_env({}), "//.distcc/state"); }

}  // namespace
}  // namespace dcc::monitor
