#include "tools/update-distcc-symlinks/link_plan.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

LinkEntry link(std::string name, std::string target, bool dangling = false) {
  return LinkEntry{std::move(name), true, std::move(target), dangling};
}
LinkEntry file(std::string name) { return LinkEntry{std::move(name), false, "", false}; }

using Names = std::vector<std::string>;

TEST(LinkPlan, CreatesMissingKeepsPresent) {
  auto plan = plan_links({link("gcc", "../../bin/distcc")}, {"gcc", "g++"}, {"gcc", "g++"});
  EXPECT_EQ(plan.remove, Names{});
  EXPECT_EQ(plan.create, Names{"g++"});
}

TEST(LinkPlan, RemovesLinksToDistccWhoseCompilerIsGone) {
  auto plan = plan_links({link("gcc-11", "../../bin/distcc"), link("gcc", "/usr/bin/distcc")},
                         {"gcc"}, {"gcc"});
  EXPECT_EQ(plan.remove, Names{"gcc-11"});
  EXPECT_EQ(plan.create, Names{});
}

TEST(LinkPlan, RemovesDanglingLinksAndRecreatesWantedOnes) {
  auto plan = plan_links({link("gcc", "/opt/old/distcc", true), link("junk", "/nowhere", true)},
                         {"gcc"}, {"gcc"});
  EXPECT_EQ(plan.remove, (Names{"gcc", "junk"}));
  EXPECT_EQ(plan.create, Names{"gcc"});
}

TEST(LinkPlan, KeepsPortagesBinLinkToTheDirectoryItself) {
  LinkEntry relative = link("bin", ".");
  relative.to_directory = true;
  LinkEntry absolute = link("bin32", "/usr/lib/distcc");  // its name ends in "distcc", yet a directory
  absolute.to_directory = true;
  auto plan = plan_links({relative, absolute}, {"gcc"}, {"gcc"}, PlanRules{.prune_unwanted = true});
  EXPECT_EQ(plan.remove, Names{});
  EXPECT_EQ(plan.create, Names{"gcc"});
}

TEST(LinkPlan, LeavesFilesAndForeignLinksAlone) {
  auto plan =
      plan_links({file("gcc"), link("cc", "/usr/bin/ccache"), link("old", "/usr/bin/ccache")},
                 {"gcc", "cc"}, {"gcc", "cc"});
  EXPECT_EQ(plan.remove, Names{});
  EXPECT_EQ(plan.create, Names{});
}

TEST(LinkPlan, KeepsAdministratorsLinkWhileItsCompilerExists) {
  // Like Debian: a link to distcc for an installed compiler we would not have chosen stays.
  auto plan = plan_links({link("mycc", "../../bin/distcc")}, {}, {"mycc"});
  EXPECT_EQ(plan.remove, Names{});
}

TEST(LinkPlan, PruneUnwantedRemovesUnwantedDistccLinks) {
  auto plan = plan_links(
      {link("gcc", "/usr/bin/distcc"), link("x-gcc", "/usr/bin/distcc"), link("c", "/bin/ccache")},
      {"x-gcc"}, {"gcc", "x-gcc", "c"}, PlanRules{.prune_unwanted = true});
  EXPECT_EQ(plan.remove, Names{"gcc"});
  EXPECT_EQ(plan.create, Names{});
}

TEST(PointsToDistcc, LastComponent) {
  EXPECT_TRUE(points_to_distcc("../../bin/distcc"));
  EXPECT_TRUE(points_to_distcc("/usr/local/bin/distcc"));
  EXPECT_TRUE(points_to_distcc("distcc"));
  EXPECT_FALSE(points_to_distcc("/usr/bin/distccd"));
  EXPECT_FALSE(points_to_distcc("/usr/bin/ccache"));
}

}  // namespace
}  // namespace dcc
