#include "client/dependency_plan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dcc {
namespace {

using Args = std::vector<std::string>;

// ---- plan_dependencies
// ---------------------------------------------------------------------------

TEST(PlanDependencies, NoDependencyFileWithoutMdOrMmd) {
  EXPECT_FALSE(plan_dependencies({"gcc", "-c", "a.c", "-o", "a.o"}, "a.o").has_value());
  // -MF, -MT and -MQ alone do not ask for a .d file.
  EXPECT_FALSE(
      plan_dependencies({"gcc", "-c", "a.c", "-MF", "a.d", "-MT", "a"}, "a.o").has_value());
}

struct DefaultCase {
  const char* output;
  const char* dep_file;
};

void PrintTo(const DefaultCase& c, std::ostream* os) { *os << c.output; }

class DefaultDepFile : public testing::TestWithParam<DefaultCase> {};

// gcc names the .d after the output with its suffix replaced, in the output's directory.
TEST_P(DefaultDepFile, FollowsTheOutputName) {
  for (const char* flag : {"-MD", "-MMD"}) {
    auto plan = plan_dependencies({"gcc", flag, "-c", "src/a.c", "-o", GetParam().output},
                                  GetParam().output);
    ASSERT_TRUE(plan.has_value()) << flag;
    EXPECT_EQ(plan->dep_file, GetParam().dep_file) << flag;
    EXPECT_FALSE(plan->target_given);
  }
}

INSTANTIATE_TEST_SUITE_P(PlanDependencies, DefaultDepFile,
                         testing::Values(DefaultCase{"a.o", "a.d"},
                                         DefaultCase{"obj/a.o", "obj/a.d"},
                                         DefaultCase{"obj/a.pic.o", "obj/a.pic.d"},
                                         DefaultCase{"out", "out.d"},
                                         DefaultCase{"obj.dir/out", "obj.dir/out.d"},
                                         DefaultCase{"/abs/build/x.s", "/abs/build/x.d"},
                                         DefaultCase{"../a.o", "../a.d"}));

TEST(PlanDependencies, ExplicitFileWins) {
  auto separate = plan_dependencies(
      {"gcc", "-MD", "-MF", "deps/a.dep", "-c", "a.c", "-o", "obj/a.o"}, "obj/a.o");
  ASSERT_TRUE(separate.has_value());
  EXPECT_EQ(separate->dep_file, "deps/a.dep");
  auto joined = plan_dependencies({"gcc", "-MMD", "-MFdeps/a.dep", "-c", "a.c"}, "a.o");
  ASSERT_TRUE(joined.has_value());
  EXPECT_EQ(joined->dep_file, "deps/a.dep");
}

TEST(PlanDependencies, LastMfWins) {
  auto plan = plan_dependencies({"gcc", "-MF", "one.d", "-MD", "-MF", "two.d", "-c", "a.c"}, "a.o");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->dep_file, "two.d");
}

TEST(PlanDependencies, FlagsMayComeAfterTheFile) {
  auto plan = plan_dependencies({"gcc", "-MF", "x.d", "-c", "a.c", "-MD"}, "a.o");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->dep_file, "x.d");
}

TEST(PlanDependencies, TargetGivenByMtOrMq) {
  for (const Args& extra :
       {Args{"-MT", "target"}, Args{"-MQ", "$target"}, Args{"-MTtarget"}, Args{"-MQtarget"}}) {
    Args argv = {"gcc", "-MD", "-c", "a.c"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto plan = plan_dependencies(argv, "a.o");
    ASSERT_TRUE(plan.has_value());
    EXPECT_TRUE(plan->target_given) << extra[0];
  }
}

TEST(PlanDependencies, ValuesOfMtAreNotMistakenForOptions) {
  // "-MD" here is the name of the target, not a request for a .d file.
  EXPECT_FALSE(plan_dependencies({"gcc", "-MT", "-MD", "-c", "a.c"}, "a.o").has_value());
  // "-MF" here is a target name; the .d file keeps its default name.
  auto plan = plan_dependencies({"gcc", "-MD", "-MQ", "-MF", "-c", "a.c"}, "a.o");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->dep_file, "a.d");
}

TEST(PlanDependencies, ArgvZeroIsIgnored) {
  EXPECT_FALSE(plan_dependencies({"-MD", "-c", "a.c"}, "a.o").has_value());
}

// ---- redirect_dependencies
// -----------------------------------------------------------------------

TEST(RedirectDependencies, AddsTheTempFileAndTheTarget) {
  DependencyPlan plan{"obj/a.d", false};
  Args cpp = {"gcc", "-MD", "-E", "a.c"};
  EXPECT_EQ(redirect_dependencies(cpp, plan, "/tmp/distcc_x.d", "obj/a.o"),
            (Args{"gcc", "-MD", "-E", "a.c", "-MF", "/tmp/distcc_x.d", "-MQ", "obj/a.o"}));
}

TEST(RedirectDependencies, ReplacesEveryMfSeparateOrJoined) {
  DependencyPlan plan{"deps/a.d", false};
  Args cpp = {"gcc", "-MMD", "-MF", "deps/a.d", "-E", "a.c", "-MFother.d"};
  EXPECT_EQ(redirect_dependencies(cpp, plan, "/tmp/t.d", "a.o"),
            (Args{"gcc", "-MMD", "-E", "a.c", "-MF", "/tmp/t.d", "-MQ", "a.o"}));
}

TEST(RedirectDependencies, KeepsAGivenTarget) {
  DependencyPlan plan{"a.d", true};
  Args cpp = {"gcc", "-MD", "-MT", "mytarget", "-E", "a.c"};
  EXPECT_EQ(redirect_dependencies(cpp, plan, "/tmp/t.d", "a.o"),
            (Args{"gcc", "-MD", "-MT", "mytarget", "-E", "a.c", "-MF", "/tmp/t.d"}));
}

TEST(RedirectDependencies, TrailingMfWithoutValueIsDropped) {
  DependencyPlan plan{"a.d", false};
  EXPECT_EQ(redirect_dependencies({"gcc", "-MD", "-E", "a.c", "-MF"}, plan, "/tmp/t.d", "a.o"),
            (Args{"gcc", "-MD", "-E", "a.c", "-MF", "/tmp/t.d", "-MQ", "a.o"}));
}

TEST(RedirectDependencies, CompilerNamedLikeAnOptionIsKept) {
  DependencyPlan plan{"a.d", false};
  Args out = redirect_dependencies({"-MFcc", "-MD", "-E", "a.c"}, plan, "/tmp/t.d", "a.o");
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0], "-MFcc");
}

TEST(RedirectDependencies, OutputWithSpecialCharactersIsQuotedByMq) {
  // -MQ (not -MT) so that make-special characters in the object name are escaped by cpp.
  DependencyPlan plan{"a$b.d", false};
  Args out = redirect_dependencies({"gcc", "-MD", "-E", "a.c"}, plan, "/tmp/t.d", "a$b.o");
  ASSERT_GE(out.size(), 2u);
  EXPECT_EQ(out[out.size() - 2], "-MQ");
  EXPECT_EQ(out.back(), "a$b.o");
}

}  // namespace
}  // namespace dcc
