#include "pump/search_path.h"

#include <gtest/gtest.h>

namespace dcc::pump {
namespace {

TEST(SearchPath, GccOrderWithDefaultsBetweenIsystemAndIdirafter) {
  auto cmd = parse_compile_command(std::vector<std::string>{"gcc", "-iquote", "q", "-Ii",
                                                            "-isystem", "/s", "-idirafter", "a",
                                                            "-I/usr/include", "-c", "x.c"});
  ASSERT_TRUE(cmd.ok());
  auto path = build_search_path(*cmd, {"/usr/lib/gcc/x/../../../include", "/usr/include"}, "/w");
  EXPECT_EQ(path.dirs,
            (std::vector<std::string>{"/w/q", "/w/i", "/s", "/usr/lib/gcc/x/../../../include",
                                      "/usr/include", "/w/a"}));
  EXPECT_EQ(path.angle_start, 1u);
  EXPECT_EQ(path.is_default, (std::vector<bool>{false, false, false, true, true, false}));
  EXPECT_EQ(path.default_dirs, (std::vector<std::string>{"/usr/include", "/usr/include"}));
}

TEST(SearchPath, KeysDifferWhenChainsDiffer) {
  auto a = parse_compile_command(std::vector<std::string>{"gcc", "-Ia", "-c", "x.c"});
  auto b = parse_compile_command(std::vector<std::string>{"gcc", "-Ib", "-c", "x.c"});
  EXPECT_NE(build_search_path(*a, {}, "/w").key(), build_search_path(*b, {}, "/w").key());
  EXPECT_EQ(build_search_path(*a, {}, "/w").key(), build_search_path(*a, {}, "/w").key());
  EXPECT_NE(build_search_path(*a, {}, "/w").key(), build_search_path(*a, {}, "/v").key());
}

TEST(SearchPath, AbsolutePath) {
  EXPECT_EQ(absolute_path("inc/", "/w"), "/w/inc");
  EXPECT_EQ(absolute_path(".", "/w"), "/w");
  EXPECT_EQ(absolute_path("/abs", "/w"), "/abs");
}

}  // namespace
}  // namespace dcc::pump
