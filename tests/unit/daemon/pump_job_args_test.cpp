#include "daemon/pump_job_args.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dcc {
namespace {

using Args = std::vector<std::string>;
const std::string kRoot = "/tmp/distccd_AZsQAy";

PumpServerCommand command(const Args& argv, const std::string& input = "hello.c") {
  return pump_server_command(argv, input, kRoot, "/tmp/job/out.o", "/tmp/job/deps.d");
}

// distcc 3.4's captured v3 job (facts §5.4): the same rewriting, plus our prefix map.
TEST(PumpServerCommand, RebasesAbsoluteIncludePathsAndRedirectsOutputs) {
  auto cmd = command({"gcc", "-c", "hello.c", "-o", "hello.o", "-MD", "-MF", "hello.d", "-I/home/u/proj/inc", "-g"});
  EXPECT_EQ(cmd.argv, (Args{"gcc", "-ffile-prefix-map=" + kRoot + "=", "-c", "hello.c", "-o", "/tmp/job/out.o", "-MD",
                            "-I" + kRoot + "/home/u/proj/inc", "-g", "-MF", "/tmp/job/deps.d"}));
  EXPECT_EQ(cmd.dotd_target, "hello.o");
}

TEST(PumpServerCommand, SeparateAndJoinedPathOptionsAreRebasedWhenAbsolute) {
  auto cmd = command({"gcc", "-c", "/src/a.c", "-o", "a.o", "-I", "/usr/local/x", "-Irel", "-iquote", "/q", "-isystem/s",
                      "-include", "/cfg.h", "-imacros", "m.h", "-idirafter", "/after"},
                     "/src/a.c");
  EXPECT_EQ(cmd.argv, (Args{"gcc", "-ffile-prefix-map=" + kRoot + "=", "-c", kRoot + "/src/a.c", "-o", "/tmp/job/out.o",
                            "-I", kRoot + "/usr/local/x", "-Irel", "-iquote", kRoot + "/q", "-isystem" + kRoot + "/s",
                            "-include", kRoot + "/cfg.h", "-imacros", "m.h", "-idirafter", kRoot + "/after", "-MMD",
                            "-MF", "/tmp/job/deps.d"}));
}

TEST(PumpServerCommand, AlwaysWritesADependencyFileToItsOwnName) {
  auto cmd = command({"gcc", "-c", "hello.c", "-o", "hello.o"});
  ASSERT_GE(cmd.argv.size(), 3u);
  EXPECT_EQ(Args(cmd.argv.end() - 3, cmd.argv.end()), (Args{"-MMD", "-MF", "/tmp/job/deps.d"}));
  auto joined = command({"gcc", "-c", "hello.c", "-ohello.o", "-MMD", "-MFx.d"});
  EXPECT_EQ(joined.argv, (Args{"gcc", "-ffile-prefix-map=" + kRoot + "=", "-c", "hello.c", "-o/tmp/job/out.o", "-MMD",
                               "-MF", "/tmp/job/deps.d"}));
}

TEST(PumpServerCommand, ClientPrefixMapsStillApplyToTheirPathsUnderTheRoot) {
  auto cmd = command({"gcc", "-c", "hello.c", "-o", "hello.o", "-fdebug-prefix-map=/home/u=/src", "-ffile-prefix-map=.=x"});
  EXPECT_EQ(cmd.argv, (Args{"gcc", "-ffile-prefix-map=" + kRoot + "=", "-c", "hello.c", "-o", "/tmp/job/out.o",
                            "-fdebug-prefix-map=/home/u=/src", "-fdebug-prefix-map=" + kRoot + "/home/u=/src",
                            "-ffile-prefix-map=.=x", "-MMD", "-MF", "/tmp/job/deps.d"}));
}

TEST(PumpServerCommand, DotdTargetIsTheOutputQuotedAsGccQuotesIt) {
  EXPECT_EQ(command({"gcc", "-c", "hello.c", "-o", "b$x y.o"}).dotd_target, "b$$x\\ y.o");
}

TEST(MakeQuoted, QuotesLikeGcc) {
  EXPECT_EQ(make_quoted("plain.o"), "plain.o");
  EXPECT_EQ(make_quoted("a b"), "a\\ b");
  EXPECT_EQ(make_quoted("a$b"), "a$$b");
  EXPECT_EQ(make_quoted("a#b"), "a\\#b");
  EXPECT_EQ(make_quoted("a\\ b"), "a\\\\\\ b");
}

}  // namespace
}  // namespace dcc
