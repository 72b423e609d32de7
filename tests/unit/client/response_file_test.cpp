#include "client/response_file.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace dcc {
namespace {

using Args = std::vector<std::string>;

// ---- split_response_text
// -------------------------------------------------------------------------

struct SplitCase {
  const char* name;
  std::string text;
  Args words;
};

void PrintTo(const SplitCase& c, std::ostream* os) { *os << c.name; }

class Split : public testing::TestWithParam<SplitCase> {};

TEST_P(Split, LikeLibiberty) { EXPECT_EQ(split_response_text(GetParam().text), GetParam().words); }

INSTANTIATE_TEST_SUITE_P(
    ResponseFile, Split,
    testing::Values(
        SplitCase{"empty", "", {}}, SplitCase{"only_space", " \t\n\r\v\f ", {}},
        SplitCase{"words", "-c a.c -o a.o", {"-c", "a.c", "-o", "a.o"}},
        SplitCase{"any_whitespace", "\t-O2\n-g\r\n-Wall  \f-DX\v", {"-O2", "-g", "-Wall", "-DX"}},
        SplitCase{"double_quotes", "\"-DMSG=hello world\" x.c", {"-DMSG=hello world", "x.c"}},
        SplitCase{"single_quotes", "'a b' 'c\"d'", {"a b", "c\"d"}},
        SplitCase{"double_quote_keeps_single", "\"it's\"", {"it's"}},
        SplitCase{"quotes_inside_a_word", "-DA=\"x y\"z", {"-DA=x yz"}},
        SplitCase{"adjacent_quotes", "'a'\"b\"c", {"abc"}},
        SplitCase{"empty_quotes_are_an_argument", "'' \"\" x", {"", "", "x"}},
        SplitCase{"backslash_escapes_space", "a\\ b", {"a b"}},
        SplitCase{"backslash_escapes_quote", "\\\"a\\'", {"\"a'"}},
        SplitCase{"backslash_escapes_backslash", "C:\\\\dir\\\\x.c", {"C:\\dir\\x.c"}},
        SplitCase{"backslash_inside_double_quotes", "\"a\\\"b\\\\c\"", {"a\"b\\c"}},
        SplitCase{"backslash_inside_single_quotes", "'a\\'b'", {"a'b"}},
        SplitCase{"backslash_escapes_newline", "a\\\nb", {"a\nb"}},
        SplitCase{"trailing_backslash_kept", "a\\", {"a\\"}},
        SplitCase{"unterminated_quote_runs_to_the_end", "'a b", {"a b"}},
        SplitCase{"newline_inside_quotes", "\"a\nb\" c", {"a\nb", "c"}},
        SplitCase{"at_sign_word", "@other x", {"@other", "x"}}),
    [](const testing::TestParamInfo<SplitCase>& info) { return std::string(info.param.name); });

// ---- expand_response_files
// -----------------------------------------------------------------------

// An in-memory file system; `reads` counts how often each file was read.
struct FakeFiles {
  std::map<std::string, std::string> files;
  std::map<std::string, int> reads;

  ReadTextFile reader() {
    return [this](const std::string& path) -> std::optional<std::string> {
      ++reads[path];
      auto it = files.find(path);
      if (it == files.end()) return std::nullopt;
      return it->second;
    };
  }
};

TEST(ExpandResponseFiles, NothingToExpand) {
  FakeFiles fs;
  Args argv = {"gcc", "-c", "x.c"};
  EXPECT_EQ(expand_response_files(argv, fs.reader()), argv);
  EXPECT_TRUE(fs.reads.empty());
}

TEST(ExpandResponseFiles, EmptyCommandLine) {
  FakeFiles fs;
  EXPECT_EQ(expand_response_files({}, fs.reader()), Args{});
}

TEST(ExpandResponseFiles, FileIsReplacedByItsWordsInPlace) {
  FakeFiles fs;
  fs.files["args.rsp"] = "-O2 \"-DNAME=a b\"\n-c\n";
  EXPECT_EQ(expand_response_files({"gcc", "-g", "@args.rsp", "x.c"}, fs.reader()),
            (Args{"gcc", "-g", "-O2", "-DNAME=a b", "-c", "x.c"}));
}

TEST(ExpandResponseFiles, EmptyFileExpandsToNothing) {
  FakeFiles fs;
  fs.files["empty"] = "";
  EXPECT_EQ(expand_response_files({"gcc", "@empty", "-c"}, fs.reader()), (Args{"gcc", "-c"}));
}

TEST(ExpandResponseFiles, NestedFilesAreExpandedInPlace) {
  FakeFiles fs;
  fs.files["outer"] = "-c @inner x.c";
  fs.files["inner"] = "-O2 @innermost";
  fs.files["innermost"] = "-g";
  EXPECT_EQ(expand_response_files({"gcc", "@outer"}, fs.reader()),
            (Args{"gcc", "-c", "-O2", "-g", "x.c"}));
}

TEST(ExpandResponseFiles, UnreadableFileIsLeftInPlace) {
  FakeFiles fs;
  fs.files["ok"] = "-c";
  EXPECT_EQ(expand_response_files({"gcc", "@missing", "@ok", "x.c"}, fs.reader()),
            (Args{"gcc", "@missing", "-c", "x.c"}));
  EXPECT_EQ(fs.reads["missing"], 1);
}

TEST(ExpandResponseFiles, UnreadableNestedFileIsLeftInPlace) {
  FakeFiles fs;
  fs.files["outer"] = "-c @gone";
  EXPECT_EQ(expand_response_files({"gcc", "@outer"}, fs.reader()), (Args{"gcc", "-c", "@gone"}));
}

TEST(ExpandResponseFiles, LoneAtSignAndArgvZeroAreNotFiles) {
  FakeFiles fs;
  fs.files[""] = "-c";
  fs.files["gcc"] = "-c";
  EXPECT_EQ(expand_response_files({"@gcc", "@", "x.c"}, fs.reader()), (Args{"@gcc", "@", "x.c"}));
  EXPECT_TRUE(fs.reads.empty());
}

TEST(ExpandResponseFiles, QuotedAtSignInAFileIsStillAFile) {
  // libiberty expands every resulting word that starts with '@', quoted or not.
  FakeFiles fs;
  fs.files["outer"] = "'@inner'";
  fs.files["inner"] = "-c";
  EXPECT_EQ(expand_response_files({"gcc", "@outer"}, fs.reader()), (Args{"gcc", "-c"}));
}

TEST(ExpandResponseFiles, SelfReferenceStopsAtTheRecursionBound) {
  FakeFiles fs;
  fs.files["loop"] = "-c @loop";
  Args out = expand_response_files({"gcc", "@loop"}, fs.reader());
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.front(), "gcc");
  EXPECT_EQ(out.back(), "@loop") << "the innermost reference is left unexpanded";
  std::size_t depth = out.size() - 2;  // one "-c" per expansion
  EXPECT_GE(depth, 8u);
  EXPECT_LE(depth, 64u);
  EXPECT_EQ(static_cast<std::size_t>(fs.reads["loop"]), depth);
}

TEST(ExpandResponseFiles, MutualRecursionStopsToo) {
  FakeFiles fs;
  fs.files["a"] = "@b -a";
  fs.files["b"] = "@a -b";
  Args out = expand_response_files({"gcc", "@a"}, fs.reader());
  EXPECT_LE(out.size(), 200u);
  EXPECT_LE(fs.reads["a"] + fs.reads["b"], 64);
}

}  // namespace
}  // namespace dcc
