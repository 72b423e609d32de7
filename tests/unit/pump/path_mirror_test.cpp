#include "pump/path_mirror.h"

#include <unistd.h>

#include <filesystem>

#include "../test_support.h"

namespace dcc::pump {
namespace {

TEST(PathMirror, PlainPathIsItself) {
  test::ScratchDir dir("mirror");
  std::filesystem::create_directories(dir.file("a"));
  test::spit(dir.file("a/f.h"), "");
  PathMirror mirror;
  auto e = mirror.expand(dir.file("a/f.h"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->real_path, dir.file("a/f.h"));
  EXPECT_TRUE(e->links.empty());
  EXPECT_TRUE(e->directories.empty());
}

TEST(PathMirror, SymlinkedDirectoryAndDotDot) {
  test::ScratchDir dir("mirror");
  std::filesystem::create_directories(dir.file("real/sub"));
  std::filesystem::create_directories(dir.file("other"));
  test::spit(dir.file("other/o.h"), "");
  ASSERT_EQ(::symlink("real", dir.file("inc").c_str()), 0);
  PathMirror mirror;
  // inc -> real, so inc/sub/../../other/o.h walks real/sub, then real, then the scratch dir.
  auto e = mirror.expand(dir.file("inc/sub/../../other/o.h"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->real_path, dir.file("other/o.h"));
  EXPECT_EQ(e->links, (std::vector<SymlinkEntry>{{dir.file("inc"), "real"}}));
  EXPECT_EQ(e->directories, (std::vector<std::string>{dir.file("real/sub"), dir.file("real")}));
}

TEST(PathMirror, AbsoluteTargetsAndChains) {
  test::ScratchDir dir("mirror");
  std::filesystem::create_directories(dir.file("d"));
  test::spit(dir.file("d/x.h"), "");
  ASSERT_EQ(::symlink(dir.file("d").c_str(), dir.file("l1").c_str()), 0);
  ASSERT_EQ(::symlink("l1/x.h", dir.file("l2").c_str()), 0);
  PathMirror mirror;
  auto e = mirror.expand(dir.file("l2"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->real_path, dir.file("d/x.h"));
  ASSERT_EQ(e->links.size(), 2u);
  EXPECT_EQ(e->links[0].target, "l1/x.h");
  EXPECT_EQ(e->links[1].target, dir.file("d"));
}

TEST(PathMirror, LoopIsAnError) {
  test::ScratchDir dir("mirror");
  ASSERT_EQ(::symlink("b", dir.file("a").c_str()), 0);
  ASSERT_EQ(::symlink("a", dir.file("b").c_str()), 0);
  PathMirror mirror;
  EXPECT_FALSE(mirror.expand(dir.file("a/x.h")).ok());
}

}  // namespace
}  // namespace dcc::pump
