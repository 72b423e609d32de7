#include "daemon/mirror_root.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../test_support.h"

namespace dcc {
namespace {

namespace fs = std::filesystem;

PumpEntry file(std::string name, std::string data) { return {PumpEntry::Kind::file, std::move(name), std::move(data)}; }
PumpEntry link(std::string name, std::string target) { return {PumpEntry::Kind::link, std::move(name), std::move(target)}; }

// A job root inside a scratch dir, with a sibling file that no job may touch.
class MirrorRootTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(scratch_.ready());
    ASSERT_EQ(::mkdir(scratch_.file("root").c_str(), 0700), 0);
    test::spit(scratch_.file("secret"), "outside\n");
    auto opened = MirrorRoot::open(scratch_.file("root"));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    mirror_.emplace(std::move(*opened));
  }
  // Everything under the scratch dir except the root: must never change.
  std::vector<std::string> outside() const { return scratch_.entries(); }

  test::ScratchDir scratch_{"mirror"};
  std::optional<MirrorRoot> mirror_;
};

TEST(MirrorComponents, SplitsAbsolutePathsAndDropsDotsAndDoubleSlashes) {
  auto parts = mirror_components("/home//u/./proj/a.h");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(*parts, (std::vector<std::string>{"home", "u", "proj", "a.h"}));
}

TEST(MirrorComponents, RefusesRelativePathsAndDotDot) {
  EXPECT_EQ(mirror_components("proj/a.h").error().message, "\"proj/a.h\": not an absolute path");
  EXPECT_EQ(mirror_components("").error().message, "\"\": not an absolute path");
  EXPECT_EQ(mirror_components("/a/../../etc/passwd").error().message, "\"/a/../../etc/passwd\": contains \"..\"");
  EXPECT_FALSE(mirror_components("/..").ok());
}

TEST(NormalizeAbsolute, ClimbsButNeverAboveTheTop) {
  EXPECT_EQ(normalize_absolute("/a/b/../c"), "/a/c");
  EXPECT_EQ(normalize_absolute("/../../etc"), "/etc");
  EXPECT_EQ(normalize_absolute("/"), "/");
  EXPECT_EQ(normalize_absolute("//x/./y/"), "/x/y");
}

TEST(IsWithin, MatchesWholeComponentsOnly) {
  std::vector<std::string> dirs = {"/usr/include"};
  EXPECT_TRUE(is_within("/usr/include", dirs));
  EXPECT_TRUE(is_within("/usr/include/c++/12", dirs));
  EXPECT_FALSE(is_within("/usr/include2", dirs));
  EXPECT_FALSE(is_within("/usr", dirs));
}

TEST_F(MirrorRootTest, FilesLandUnderTheRootWithTheirParents) {
  ASSERT_TRUE(mirror_->add(file("/home/u/proj/hello.c", "int main(){}\n")).ok());
  ASSERT_TRUE(mirror_->add(file("/home/u/proj/inc/empty.h", "")).ok());
  EXPECT_EQ(test::slurp(mirror_->server_path("/home/u/proj/hello.c")), "int main(){}\n");
  EXPECT_TRUE(fs::is_regular_file(mirror_->server_path("/home/u/proj/inc/empty.h")));
  EXPECT_EQ(mirror_->files(), 2u);
  EXPECT_EQ(mirror_->server_path("/x"), mirror_->path() + "/x");
}

TEST_F(MirrorRootTest, WorkingDirectoryIsCreated) {
  auto dir = mirror_->make_directory("/home/u/proj/build");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_EQ(*dir, mirror_->path() + "/home/u/proj/build");
  EXPECT_TRUE(fs::is_directory(*dir));
  auto top = mirror_->make_directory("/");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(*top, mirror_->path());
}

TEST_F(MirrorRootTest, AbsoluteLinkTargetsMeanTheClientsTreeUnderTheRoot) {
  ASSERT_TRUE(mirror_->add(file("/home/u/proj/real/a.h", "A\n")).ok());
  ASSERT_TRUE(mirror_->add(link("/home/u/proj/inc", "/home/u/proj/real")).ok());
  ASSERT_TRUE(mirror_->check_links(MirrorPolicy{}).ok());
  EXPECT_EQ(fs::read_symlink(mirror_->server_path("/home/u/proj/inc")).string(), mirror_->path() + "/home/u/proj/real");
  EXPECT_EQ(test::slurp(mirror_->server_path("/home/u/proj/inc/a.h")), "A\n");
}

TEST_F(MirrorRootTest, RelativeLinksInsideTheRootAreKept) {
  ASSERT_TRUE(mirror_->add(link("/p/inc", "sub")).ok());
  ASSERT_TRUE(mirror_->add(file("/p/sub/x.h", "X\n")).ok());
  ASSERT_TRUE(mirror_->check_links(MirrorPolicy{}).ok());
  EXPECT_EQ(test::slurp(mirror_->server_path("/p/inc/x.h")), "X\n");
}

TEST_F(MirrorRootTest, DotDotNamesAreRefusedAndWriteNothing) {
  auto before = outside();
  Status s = mirror_->add(file("/../secret", "overwritten\n"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ExitCode::protocol_error);
  EXPECT_EQ(test::slurp(scratch_.file("secret")), "outside\n");
  EXPECT_EQ(outside(), before);
}

TEST_F(MirrorRootTest, NamesThroughASentSymlinkAreRefusedNotFollowed) {
  // The classic escape: a link to the outside, then a file "inside" it.
  ASSERT_TRUE(mirror_->add(link("/evil", "../..")).ok());
  Status s = mirror_->add(file("/evil/secret", "overwritten\n"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "\"/evil/secret\": passes through the symlink \"evil\"");
  EXPECT_EQ(test::slurp(scratch_.file("secret")), "outside\n");
  // And the link itself is refused once the request is complete.
  EXPECT_FALSE(mirror_->check_links(MirrorPolicy{}).ok());
}

TEST_F(MirrorRootTest, AbsoluteLinkTargetWithDotDotStaysInside) {
  ASSERT_TRUE(mirror_->add(link("/a/l", "/../../../etc")).ok());
  ASSERT_TRUE(mirror_->check_links(MirrorPolicy{}).ok());
  EXPECT_EQ(fs::read_symlink(mirror_->server_path("/a/l")).string(), mirror_->path() + "/etc");
}

TEST_F(MirrorRootTest, RelativeLinkClimbingOutIsRefusedNamingWhere) {
  ASSERT_TRUE(mirror_->add(link("/a/l", "../../../../../../../../../../etc")).ok());
  Status s = mirror_->check_links(MirrorPolicy{});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "link \"/a/l\": points outside the job's root, to /etc");
}

TEST_F(MirrorRootTest, LinksIntoTheServersSystemHeadersAreAllowed) {
  // What distcc 3.4's include server sends for -I/usr/include/... (facts §5.3).
  std::string up;
  for (int i = 0; i < 30; ++i) up += "../";
  ASSERT_TRUE(mirror_->add(link("/usr/include", up + "usr/include")).ok());
  EXPECT_TRUE(mirror_->check_links(MirrorPolicy{}).ok());
  MirrorPolicy none;
  none.system_dirs.clear();
  EXPECT_FALSE(mirror_->check_links(none).ok());
}

TEST_F(MirrorRootTest, EscapeBuiltFromTwoInnocentLookingLinksIsRefused) {
  // "up" alone points at the root; "up/.." then leaves it. Each link looks harmless lexically.
  ASSERT_TRUE(mirror_->add(link("/a/up", "..")).ok());
  ASSERT_TRUE(mirror_->add(link("/a/out", "up/../..")).ok());
  Status s = mirror_->check_links(MirrorPolicy{});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("points outside the job's root"), std::string::npos) << s.error().message;
}

TEST_F(MirrorRootTest, LinkLoopsAreRefused) {
  ASSERT_TRUE(mirror_->add(link("/a", "b")).ok());
  ASSERT_TRUE(mirror_->add(link("/b", "a")).ok());
  Status s = mirror_->check_links(MirrorPolicy{});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("too many levels of symbolic links"), std::string::npos);
}

TEST_F(MirrorRootTest, DanglingLinksInsideAreHarmless) {
  ASSERT_TRUE(mirror_->add(link("/a/l", "missing/../../../../../etc")).ok());
  EXPECT_TRUE(mirror_->check_links(MirrorPolicy{}).ok());
}

TEST_F(MirrorRootTest, NameSentTwiceIsRefused) {
  ASSERT_TRUE(mirror_->add(file("/a.h", "1")).ok());
  Status s = mirror_->add(file("/a.h", "2"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "\"/a.h\": sent twice");
  EXPECT_EQ(test::slurp(mirror_->server_path("/a.h")), "1");
}

TEST_F(MirrorRootTest, FileBelowAFileIsRefused) {
  ASSERT_TRUE(mirror_->add(file("/a", "1")).ok());
  Status s = mirror_->add(file("/a/b", "2"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "\"/a/b\": passes through the file \"a\"");
}

TEST_F(MirrorRootTest, TheRootItselfCannotBeNamed) {
  EXPECT_FALSE(mirror_->add(file("/", "x")).ok());
  EXPECT_FALSE(mirror_->add(file("//./", "x")).ok());
}

}  // namespace
}  // namespace dcc
