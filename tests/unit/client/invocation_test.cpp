#include "client/invocation.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace dcc {
namespace {

using Args = std::vector<std::string>;

// ---- parse_invocation
// ----------------------------------------------------------------------------

struct CompilerCase {
  const char* name;
  Args argv;
  InvocationMode mode;
  Args compiler_argv;
};

void PrintTo(const CompilerCase& c, std::ostream* os) { *os << c.name; }

class CompilerMode : public testing::TestWithParam<CompilerCase> {};

TEST_P(CompilerMode, FindsTheCompilerCommandLine) {
  const CompilerCase& c = GetParam();
  Invocation result = parse_invocation(c.argv);
  auto* invocation = std::get_if<CompilerInvocation>(&result);
  ASSERT_NE(invocation, nullptr) << "not a compiler invocation";
  EXPECT_EQ(invocation->mode, c.mode);
  EXPECT_EQ(invocation->argv, c.compiler_argv);
}

constexpr InvocationMode kExplicit = InvocationMode::explicit_compiler;
constexpr InvocationMode kImplicit = InvocationMode::implicit_compiler;
constexpr InvocationMode kMasquerade = InvocationMode::masquerade;

INSTANTIATE_TEST_SUITE_P(
    Invocation, CompilerMode,
    testing::Values(
        CompilerCase{"explicit", {"distcc", "gcc", "-c", "x.c"}, kExplicit, {"gcc", "-c", "x.c"}},
        CompilerCase{"explicit_full_path",
                     {"/usr/bin/distcc", "g++", "-c", "x.cpp", "-o", "x.o"},
                     kExplicit,
                     {"g++", "-c", "x.cpp", "-o", "x.o"}},
        CompilerCase{"explicit_absolute_compiler",
                     {"distcc", "/opt/gcc/bin/gcc", "-c", "x.c"},
                     kExplicit,
                     {"/opt/gcc/bin/gcc", "-c", "x.c"}},
        CompilerCase{"explicit_compiler_alone", {"distcc", "gcc"}, kExplicit, {"gcc"}},
        // Our own options are only recognised as argv[1]; later they belong to the compiler.
        CompilerCase{
            "help_after_compiler", {"distcc", "gcc", "--help"}, kExplicit, {"gcc", "--help"}},
        CompilerCase{"version_after_compiler",
                     {"distcc", "gcc", "--version"},
                     kExplicit,
                     {"gcc", "--version"}},
        CompilerCase{"j_after_compiler", {"distcc", "gcc", "-j"}, kExplicit, {"gcc", "-j"}},
        CompilerCase{"show_hosts_after_compiler",
                     {"distcc", "cc", "--show-hosts"},
                     kExplicit,
                     {"cc", "--show-hosts"}},
        // The name only has to contain "distcc" (strstr), as in 3.4.
        CompilerCase{"renamed_distcc",
                     {"/opt/bin/my-distcc-1.0", "gcc", "-c", "x.c"},
                     kExplicit,
                     {"gcc", "-c", "x.c"}},
        CompilerCase{"implicit_option", {"distcc", "-c", "x.c"}, kImplicit, {"cc", "-c", "x.c"}},
        CompilerCase{"implicit_source", {"distcc", "x.c", "-c"}, kImplicit, {"cc", "x.c", "-c"}},
        CompilerCase{"implicit_cxx_source", {"distcc", "x.cpp"}, kImplicit, {"cc", "x.cpp"}},
        CompilerCase{
            "implicit_preprocessed", {"distcc", "x.i", "-c"}, kImplicit, {"cc", "x.i", "-c"}},
        CompilerCase{
            "implicit_object", {"distcc", "x.o", "-o", "x"}, kImplicit, {"cc", "x.o", "-o", "x"}},
        CompilerCase{"implicit_unknown_option",
                     {"distcc", "--frobnicate"},
                     kImplicit,
                     {"cc", "--frobnicate"}},
        CompilerCase{"implicit_lone_dash_j_value", {"distcc", "-j4"}, kImplicit, {"cc", "-j4"}},
        CompilerCase{
            "not_a_source_is_a_compiler", {"distcc", "x.h", "-c"}, kExplicit, {"x.h", "-c"}},
        CompilerCase{
            "masquerade", {"/usr/lib/distcc/gcc", "-c", "x.c"}, kMasquerade, {"gcc", "-c", "x.c"}},
        CompilerCase{
            "masquerade_bare", {"g++", "-c", "x.cpp"}, kMasquerade, {"g++", "-c", "x.cpp"}},
        CompilerCase{"masquerade_cross",
                     {"/usr/lib/distcc/x86_64-linux-gnu-gcc-12", "--help"},
                     kMasquerade,
                     {"x86_64-linux-gnu-gcc-12", "--help"}},
        CompilerCase{"masquerade_alone", {"/usr/lib/distcc/cc"}, kMasquerade, {"cc"}},
        // A directory named distcc does not make the program distcc.
        CompilerCase{"distcc_only_in_directory",
                     {"/usr/lib/distcc/bin/gcc", "-c", "x.c"},
                     kMasquerade,
                     {"gcc", "-c", "x.c"}}),
    [](const testing::TestParamInfo<CompilerCase>& info) { return std::string(info.param.name); });

struct CommandCase {
  Args argv;
  DistccCommand command;
};

class OwnCommand : public testing::TestWithParam<CommandCase> {};

TEST_P(OwnCommand, IsRecognisedAsArgvOne) {
  Invocation result = parse_invocation(GetParam().argv);
  auto* command = std::get_if<DistccCommand>(&result);
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(*command, GetParam().command);
}

INSTANTIATE_TEST_SUITE_P(
    Invocation, OwnCommand,
    testing::Values(CommandCase{{"distcc", "--help"}, DistccCommand::help},
                    CommandCase{{"distcc", "--version"}, DistccCommand::version},
                    CommandCase{{"distcc", "--show-hosts"}, DistccCommand::show_hosts},
                    CommandCase{{"distcc", "-j"}, DistccCommand::total_slots},
                    CommandCase{{"/usr/bin/distcc", "--version", "ignored"},
                                DistccCommand::version}));

TEST(Invocation, ScanIncludesTakesTheCompileCommand) {
  Invocation named = parse_invocation({"distcc", "--scan-includes", "g++", "-Iinc", "-c", "x.cc"});
  auto* scan = std::get_if<ScanIncludes>(&named);
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ(scan->argv, (Args{"g++", "-Iinc", "-c", "x.cc"}));
  Invocation implicit = parse_invocation({"distcc", "--scan-includes", "-c", "x.c"});
  ASSERT_TRUE(std::holds_alternative<ScanIncludes>(implicit));
  EXPECT_EQ(std::get<ScanIncludes>(implicit).argv, (Args{"cc", "-c", "x.c"}));
  EXPECT_TRUE(std::holds_alternative<UsageError>(parse_invocation({"distcc", "--scan-includes"})));
}

TEST(Invocation, DistccAloneIsAUsageError) {
  Invocation result = parse_invocation({"distcc"});
  auto* error = std::get_if<UsageError>(&result);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(error->message.find("missing option/operand"), std::string::npos) << error->message;
}

TEST(Invocation, EmptyCommandLineIsAUsageError) {
  EXPECT_TRUE(std::holds_alternative<UsageError>(parse_invocation({})));
}

TEST(Invocation, MasqueradeOptionsAreTheCompilers) {
  // As gcc (masquerading), --help and -j are the compiler's options.
  Invocation result = parse_invocation({"/usr/lib/distcc/gcc", "--help"});
  auto* invocation = std::get_if<CompilerInvocation>(&result);
  ASSERT_NE(invocation, nullptr);
  EXPECT_EQ(invocation->argv, (Args{"gcc", "--help"}));
}

TEST(Invocation, EmptyFirstArgumentIsAnExplicitCompiler) {
  // 3.4 looks at argv[1][0], which is the terminating NUL: not an option, not a source.
  Invocation result = parse_invocation({"distcc", "", "-c", "x.c"});
  auto* invocation = std::get_if<CompilerInvocation>(&result);
  ASSERT_NE(invocation, nullptr);
  EXPECT_EQ(invocation->mode, kExplicit);
  EXPECT_EQ(invocation->argv, (Args{"", "-c", "x.c"}));
}

// ---- trim_masquerade_path
// ------------------------------------------------------------------------

const std::string kPath = "/usr/local/bin:/usr/lib/distcc:/usr/bin:/bin";

bool never(const std::string&) { return false; }

TEST(TrimMasqueradePath, AbsoluteDirMatchesAComponentExactly) {
  auto path =
      trim_masquerade_path("/usr/lib/distcc/gcc", kPath, std::string("/usr/lib/distcc"), never);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, "/usr/bin:/bin");
}

TEST(TrimMasqueradePath, AbsoluteDirIsComparedAsAString) {
  // No normalisation: a trailing slash or "//" does not match (3.4's documented FIXME).
  EXPECT_FALSE(trim_masquerade_path("/usr/lib/distcc/gcc", "/usr/lib/distcc/:/usr/bin",
                                    std::string("/usr/lib/distcc"), never)
                   .has_value());
  EXPECT_FALSE(trim_masquerade_path("/usr/lib/distcc/gcc", "/usr/lib/distcc2:/usr/bin",
                                    std::string("/usr/lib/distcc"), never)
                   .has_value());
}

TEST(TrimMasqueradePath, AbsoluteDirNotOnPathLeavesItAlone) {
  EXPECT_FALSE(
      trim_masquerade_path("/opt/masq/gcc", kPath, std::string("/opt/masq"), never).has_value());
}

TEST(TrimMasqueradePath, AbsoluteDirDoesNotAskTheFileSystem) {
  int calls = 0;
  auto counting = [&](const std::string&) {
    ++calls;
    return true;
  };
  auto path =
      trim_masquerade_path("/usr/lib/distcc/gcc", kPath, std::string("/usr/lib/distcc"), counting);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(calls, 0);
}

TEST(TrimMasqueradePath, MatchOnTheLastComponentLeavesAnEmptyPath) {
  auto path = trim_masquerade_path("/bin/gcc", kPath, std::string("/bin"), never);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, "");
}

TEST(TrimMasqueradePath, FirstMatchingComponentWins) {
  auto path = trim_masquerade_path("/m/gcc", "/m:/usr/bin:/m:/bin", std::string("/m"), never);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, "/usr/bin:/m:/bin");
}

TEST(TrimMasqueradePath, BareNameFindsTheFirstDirectoryHoldingIt) {
  // argv[0] without a slash: the masquerade dir is the first PATH entry with an executable of
  // that name (the shell found us there).
  std::set<std::string> executables = {"/usr/lib/distcc/gcc", "/usr/bin/gcc"};
  std::vector<std::string> asked;
  auto is_executable = [&](const std::string& p) {
    asked.push_back(p);
    return executables.count(p) > 0;
  };
  auto path = trim_masquerade_path("gcc", kPath, std::nullopt, is_executable);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, "/usr/bin:/bin");
  EXPECT_EQ(asked, (std::vector<std::string>{"/usr/local/bin/gcc", "/usr/lib/distcc/gcc"}));
}

TEST(TrimMasqueradePath, BareNameNotFoundLeavesItAlone) {
  EXPECT_FALSE(trim_masquerade_path("gcc", kPath, std::nullopt, never).has_value());
}

TEST(TrimMasqueradePath, EmptyComponentsAreNotLookedIn) {
  std::vector<std::string> asked;
  auto is_executable = [&](const std::string& p) {
    asked.push_back(p);
    return p == "/masq/cc";
  };
  auto path = trim_masquerade_path("cc", ":/masq::/usr/bin:", std::nullopt, is_executable);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, ":/usr/bin:");
  EXPECT_EQ(asked, (std::vector<std::string>{"/masq/cc"}));
}

TEST(TrimMasqueradePath, EmptyPath) {
  EXPECT_FALSE(trim_masquerade_path("gcc", "", std::nullopt, [](const std::string&) {
                 return true;
               }).has_value());
}

}  // namespace
}  // namespace dcc
