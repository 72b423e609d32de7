#include "daemon/compiler_allowlist.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "../test_support.h"

namespace dcc {
namespace {

// The masquerade directories of a Debian box: /usr/lib/distcc holds gcc, g++, cc and a cross
// compiler; /usr/local/lib/distcc holds clang only.
const std::set<std::string> kLinks = {
    "/usr/lib/distcc/gcc",         "/usr/lib/distcc/g++",
    "/usr/lib/distcc/cc",          "/usr/lib/distcc/x86_64-linux-gnu-gcc",
    "/usr/local/lib/distcc/clang", "/usr/lib/distcc/GCC-Upper",
};

class FakeLinks {
 public:
  bool operator()(const std::string& path) {
    asked.push_back(path);
    return kLinks.count(path) > 0;
  }
  std::vector<std::string> asked;
};

CompilerAllowlist debian() {
  CompilerAllowlist allowlist;
  allowlist.masquerade_dirs = {"/usr/local/lib/distcc", "/usr/lib/distcc"};
  return allowlist;
}

Result<std::string> check(std::string_view name, const CompilerAllowlist& allowlist = debian()) {
  FakeLinks links;
  return check_compiler(name, allowlist, [&](const std::string& p) { return links(p); });
}

// ---- masquerade directories
// ----------------------------------------------------------------------

struct AllowedCase {
  const char* requested;
  const char* runs;
};

void PrintTo(const AllowedCase& c, std::ostream* os) { *os << '"' << c.requested << '"'; }

class Allowed : public testing::TestWithParam<AllowedCase> {};

TEST_P(Allowed, RunsTheNameFromThePath) {
  auto result = check(GetParam().requested);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, GetParam().runs);
}

INSTANTIATE_TEST_SUITE_P(
    CompilerAllowlist, Allowed,
    testing::Values(AllowedCase{"gcc", "gcc"}, AllowedCase{"g++", "g++"}, AllowedCase{"cc", "cc"},
                    AllowedCase{"clang", "clang"},  // found in the second directory
                    AllowedCase{"x86_64-linux-gnu-gcc", "x86_64-linux-gnu-gcc"},
                    // QtCreator sends absolute paths; 3.4 strips these two prefixes, in any case.
                    AllowedCase{"/usr/bin/gcc", "gcc"}, AllowedCase{"/bin/gcc", "gcc"},
                    AllowedCase{"/USR/BIN/gcc", "gcc"}, AllowedCase{"/Usr/Bin/g++", "g++"},
                    AllowedCase{"/BIN/cc", "cc"}, AllowedCase{"/usr/bin/clang", "clang"},
                    AllowedCase{"GCC-Upper", "GCC-Upper"}));

struct RefusedCase {
  const char* name;
  std::string requested;
  const char* message_part;
};

void PrintTo(const RefusedCase& c, std::ostream* os) { *os << c.name; }

class Refused : public testing::TestWithParam<RefusedCase> {};

TEST_P(Refused, IsAccessDenied) {
  auto result = check(GetParam().requested);
  ASSERT_FALSE(result.ok()) << "ran " << *result;
  EXPECT_EQ(result.error().code, ExitCode::access_denied);
  EXPECT_NE(result.error().message.find(GetParam().message_part), std::string::npos)
      << result.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    CompilerAllowlist, Refused,
    testing::Values(RefusedCase{"not_linked", "tcc", "not allowed"},
                    RefusedCase{"shell", "sh", "not allowed"},
                    RefusedCase{"case_matters_for_the_name", "GCC", "not allowed"},
                    RefusedCase{"other_absolute_path", "/usr/local/bin/gcc", "is a path"},
                    RefusedCase{"opt_path", "/opt/gcc/bin/gcc", "is a path"},
                    RefusedCase{"relative_path", "./gcc", "is a path"},
                    RefusedCase{"bin_sh", "/bin/sh", "not allowed"},
                    RefusedCase{"prefix_not_at_start", "x/usr/bin/gcc", "is a path"},
                    RefusedCase{"only_one_prefix_stripped", "/usr/bin//bin/gcc", "is a path"},
                    RefusedCase{"double_prefix", "/bin/usr/bin/gcc", "is a path"},
                    RefusedCase{"dotdot_after_prefix", "/usr/bin/../bin/gcc", "is a path"},
                    RefusedCase{"dotdot_path", "../../usr/lib/distcc/gcc", "is a path"},
                    RefusedCase{"dotdot", "..", "not a program name"},
                    RefusedCase{"dot", ".", "not a program name"},
                    RefusedCase{"prefix_then_dotdot", "/usr/bin/..", "not a program name"},
                    RefusedCase{"prefix_only", "/usr/bin/", "not a program name"},
                    RefusedCase{"space", "gcc -v", "spaces or control characters"},
                    RefusedCase{"sh_dash_c", "sh -c id", "spaces or control characters"},
                    RefusedCase{"tab", "gcc\t", "spaces or control characters"},
                    RefusedCase{"newline", "gcc\n", "spaces or control characters"},
                    RefusedCase{"escape", "gcc\x1b[2J", "spaces or control characters"},
                    RefusedCase{"delete", "gcc\x7f", "spaces or control characters"},
                    RefusedCase{"nul", std::string("gcc\0sh", 6), "spaces or control characters"},
                    RefusedCase{"leading_dash", "-gcc", "starts with '-'"},
                    RefusedCase{"option_as_compiler", "--version", "starts with '-'"}),
    [](const testing::TestParamInfo<RefusedCase>& info) { return std::string(info.param.name); });

TEST(CompilerAllowlist, EmptyNameIsCompilerMissing) {
  auto result = check("");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ExitCode::compiler_missing);
}

TEST(CompilerAllowlist, LooksInEveryMasqueradeDirectoryInOrder) {
  FakeLinks links;
  auto result = check_compiler("clang", debian(), [&](const std::string& p) { return links(p); });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(links.asked, (std::vector<std::string>{"/usr/local/lib/distcc/clang"}));

  links.asked.clear();
  result = check_compiler("gcc", debian(), [&](const std::string& p) { return links(p); });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(links.asked,
            (std::vector<std::string>{"/usr/local/lib/distcc/gcc", "/usr/lib/distcc/gcc"}));
}

TEST(CompilerAllowlist, RefusalNamesTheDirectoriesLookedIn) {
  auto result = check("tcc");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("/usr/local/lib/distcc or /usr/lib/distcc"),
            std::string::npos)
      << result.error().message;
}

TEST(CompilerAllowlist, UnsafeNamesAreRefusedBeforeAnyLookup) {
  for (std::string name : {"gcc -v", "-gcc", "/usr/local/bin/gcc", ".."}) {
    FakeLinks links;
    auto result = check_compiler(name, debian(), [&](const std::string& p) { return links(p); });
    EXPECT_FALSE(result.ok()) << name;
    EXPECT_TRUE(links.asked.empty()) << name << " caused a lookup of " << links.asked.front();
  }
}

TEST(CompilerAllowlist, NoMasqueradeDirectoriesRefusesEverything) {
  CompilerAllowlist none;
  auto result = check("gcc", none);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ExitCode::access_denied);
}

TEST(CompilerAllowlist, LongNamesAreShortenedInMessages) {
  std::string name = "/opt/" + std::string(500, 'x') + "/gcc";
  auto result = check(name);
  ASSERT_FALSE(result.ok());
  EXPECT_LT(result.error().message.size(), 200u);
}

// ---- DISTCC_CMDLIST
// --------------------------------------------------------------------------------

CompilerAllowlist cmdlist(int numwords) {
  CompilerAllowlist allowlist = debian();
  allowlist.cmdlist = {"/usr/bin/gcc-12", "/opt/cross/arm/bin/gcc", "/opt/cross/mips/bin/gcc",
                       "/usr/bin/clang-14"};
  allowlist.cmdlist_numwords = numwords;
  return allowlist;
}

TEST(CompilerCmdlist, OneWordMatchesTheBasenameAndRunsTheListedPath) {
  auto allowlist = cmdlist(1);
  EXPECT_EQ(*check("gcc-12", allowlist), "/usr/bin/gcc-12");
  EXPECT_EQ(*check("/usr/bin/gcc-12", allowlist), "/usr/bin/gcc-12");
  EXPECT_EQ(*check("/somewhere/else/gcc-12", allowlist), "/usr/bin/gcc-12");
  EXPECT_EQ(*check("clang-14", allowlist), "/usr/bin/clang-14");
  // The first entry with the same last word wins.
  EXPECT_EQ(*check("gcc", allowlist), "/opt/cross/arm/bin/gcc");
}

TEST(CompilerCmdlist, TwoWordsDistinguishDirectories) {
  auto allowlist = cmdlist(2);
  EXPECT_EQ(*check("arm/bin/gcc", allowlist), "/opt/cross/arm/bin/gcc");
  EXPECT_EQ(*check("bin/gcc", allowlist), "/opt/cross/arm/bin/gcc");
  EXPECT_EQ(*check("/usr/bin/gcc-12", allowlist), "/usr/bin/gcc-12");
  auto bare = check("gcc-12", allowlist);  // one word never equals a two-word key
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().code, ExitCode::access_denied);
  EXPECT_NE(bare.error().message.find("DISTCC_CMDLIST"), std::string::npos);
}

TEST(CompilerCmdlist, ReplacesTheMasqueradeCheck) {
  // gcc has a masquerade link, but with a command list only the list counts.
  CompilerAllowlist allowlist = debian();
  allowlist.cmdlist = {"/usr/bin/clang-14"};
  auto result = check("g++", allowlist);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ExitCode::access_denied);
}

TEST(CompilerCmdlist, UnsafeNamesAreStillRefused) {
  auto allowlist = cmdlist(1);
  EXPECT_FALSE(check("gcc-12 -v", allowlist).ok());
  EXPECT_FALSE(check("-gcc-12", allowlist).ok());
  EXPECT_FALSE(check("gcc-12\n", allowlist).ok());
}

TEST(CompilerCmdlist, PathTricksMapToTheListedPath) {
  // Whatever the client wrote before the key, the command run is the listed path.
  auto allowlist = cmdlist(1);
  auto result = check("../../../../tmp/evil/gcc-12", allowlist);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "/usr/bin/gcc-12");
}

// ---- --enable-tcp-insecure
// -------------------------------------------------------------------------

TEST(CompilerInsecure, AnyNameWithoutASlashRuns) {
  CompilerAllowlist allowlist = debian();
  allowlist.insecure = true;
  FakeLinks links;
  auto result = check_compiler("tcc", allowlist, [&](const std::string& p) { return links(p); });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "tcc");
  EXPECT_TRUE(links.asked.empty());
  EXPECT_EQ(*check("/usr/bin/tcc", allowlist), "tcc");
}

TEST(CompilerInsecure, PathsAndUnsafeNamesAreStillRefused) {
  CompilerAllowlist allowlist = debian();
  allowlist.insecure = true;
  for (const char* name : {"/tmp/evil", "./gcc", "..", "sh -c id", "-gcc"}) {
    auto result = check(name, allowlist);
    EXPECT_FALSE(result.ok()) << name;
  }
}

}  // namespace
}  // namespace dcc
