#include "pump/system_dirs.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace dcc::pump {
namespace {

constexpr const char* kVerbose =
    "ignoring nonexistent directory \"/nope\"\n"
    "#include \"...\" search starts here:\n"
    " /quote\n"
    "#include <...> search starts here:\n"
    " /usr/lib/gcc/x86_64-linux-gnu/12/../../../../include/c++/12\n"
    " /usr/include\n"
    " /Library/Frameworks (framework directory)\n"
    "End of search list.\n";

TEST(SystemDirs, ParsesTheAngleBlock) {
  EXPECT_EQ(parse_default_include_dirs(kVerbose),
            (std::vector<std::string>{"/usr/include/c++/12", "/usr/include"}));
  EXPECT_TRUE(parse_default_include_dirs("no list here").empty());
}

TEST(SystemDirs, NormalizeLexically) {
  EXPECT_EQ(normalize_lexically("/a/./b/../c/"), "/a/c");
  EXPECT_EQ(normalize_lexically("/../a"), "/a");
  EXPECT_EQ(normalize_lexically("../a/./b"), "../a/b");
  EXPECT_EQ(normalize_lexically("a/.."), ".");
}

TEST(SystemDirs, CachedPerCompilerLanguageAndFlags) {
  std::vector<std::vector<std::string>> runs;
  SystemDirCache cache([&](const std::vector<std::string>& argv) -> Result<std::string> {
    runs.push_back(argv);
    return std::string(kVerbose);
  });
  ASSERT_TRUE(cache.get("gcc", "c", {}).ok());
  ASSERT_TRUE(cache.get("gcc", "c", {}).ok());
  ASSERT_TRUE(cache.get("gcc", "c++", {}).ok());
  ASSERT_TRUE(cache.get("gcc", "c", {"-m32"}).ok());
  EXPECT_EQ(cache.queries(), 3);
  EXPECT_EQ(runs.back(), (std::vector<std::string>{"gcc", "-x", "c", "-m32", "-E", "-v",
                                                   "/dev/null", "-o", "/dev/null"}));
}

TEST(SystemDirs, AsksTheRealCompiler) {
  SystemDirCache cache;
  auto dirs = cache.get("gcc", "c", {});
  ASSERT_TRUE(dirs.ok()) << dirs.error().message;
  ASSERT_FALSE(dirs->empty());
  bool has_stdio = false;
  for (const auto& d : *dirs) has_stdio = has_stdio || std::filesystem::exists(d + "/stdio.h");
  EXPECT_TRUE(has_stdio);
  auto none = cache.get("gcc", "c", {"-nostdinc"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(cache.get("/nonexistent/cc", "c", {}).ok());
}

}  // namespace
}  // namespace dcc::pump
