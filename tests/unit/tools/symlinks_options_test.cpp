#include "tools/update-distcc-symlinks/symlinks_options.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

TEST(SymlinksOptions, Defaults) {
  auto o = parse_symlinks_options({});
  ASSERT_TRUE(o);
  EXPECT_EQ(o->request.masquerade_dir, "/usr/lib/distcc");
  EXPECT_EQ(o->request.bin_dir, "/usr/bin");
  EXPECT_EQ(o->request.link_target, "../../bin/distcc");
  EXPECT_FALSE(o->verbose);
}

TEST(SymlinksOptions, RootPrefixesDefaults) {
  auto o = parse_symlinks_options({"--root", "/stage/", "-v"});
  ASSERT_TRUE(o);
  EXPECT_EQ(o->request.masquerade_dir, "/stage/usr/lib/distcc");
  EXPECT_EQ(o->request.bin_dir, "/stage/usr/bin");
  EXPECT_TRUE(o->verbose);
}

TEST(SymlinksOptions, ExplicitPathsWin) {
  auto o = parse_symlinks_options(
      {"--root=/r", "--masquerade-dir=/m", "--bin-dir", "/b", "--distcc", "/usr/bin/distcc"});
  ASSERT_TRUE(o);
  EXPECT_EQ(o->request.masquerade_dir, "/m");
  EXPECT_EQ(o->request.bin_dir, "/b");
  EXPECT_EQ(o->request.link_target, "/usr/bin/distcc");
}

TEST(SymlinksOptions, Errors) {
  EXPECT_EQ(parse_symlinks_options({"--root"}).error().message, "--root needs a value");
  EXPECT_EQ(parse_symlinks_options({"-x"}).error().message, "unknown option -x (see --help)");
}

}  // namespace
}  // namespace dcc
