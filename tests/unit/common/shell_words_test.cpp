#include "common/shell_words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dcc {
namespace {

using Words = std::vector<std::string>;

struct SplitCase {
  const char* name;
  const char* text;
  Words words;
};

void PrintTo(const SplitCase& c, std::ostream* os) { *os << c.name; }

class SplitTest : public testing::TestWithParam<SplitCase> {};

TEST_P(SplitTest, SplitsLikeAShell) {
  const SplitCase& c = GetParam();
  auto words = split_shell_words(c.text);
  ASSERT_TRUE(words.ok()) << words.error().message;
  EXPECT_EQ(*words, c.words);
}

// Every expectation here is what `sh -c 'printf "[%s]" TEXT'` prints.
INSTANTIATE_TEST_SUITE_P(
    ShellWords, SplitTest,
    testing::Values(
        SplitCase{"empty", "", {}},
        SplitCase{"only_blanks", " \t\n ", {}},
        SplitCase{"one_word", "ssh", {"ssh"}},
        SplitCase{"blanks_separate", "  ssh\t-p  2222\n-q ", {"ssh", "-p", "2222", "-q"}},
        SplitCase{"single_quotes_keep_blanks", "ssh -o 'ProxyCommand=nc %h %p'", {"ssh", "-o", "ProxyCommand=nc %h %p"}},
        SplitCase{"single_quotes_keep_backslashes", R"('a\b\"c')", {R"(a\b\"c)"}},
        SplitCase{"double_quotes_keep_blanks", R"("a b"  c)", {"a b", "c"}},
        SplitCase{"double_quote_escapes", R"("\" \\ \$ \`")", {R"(" \ $ `)"}},
        SplitCase{"double_quote_other_backslash_kept", R"("\n\a")", {R"(\n\a)"}},
        SplitCase{"double_quote_line_continuation", "\"a\\\nb\"", {"ab"}},
        SplitCase{"single_quote_inside_double", R"("it's")", {"it's"}},
        SplitCase{"double_quote_inside_single", R"('say "hi"')", {R"(say "hi")"}},
        SplitCase{"backslash_escapes_blank", R"(a\ b)", {"a b"}},
        SplitCase{"backslash_escapes_quote", R"(\'a\")", {R"('a")"}},
        SplitCase{"backslash_backslash", R"(a\\b)", {R"(a\b)"}},
        SplitCase{"backslash_newline_joins", "a\\\nb c", {"ab", "c"}},
        SplitCase{"lone_backslash_newline_is_nothing", "a \\\n b", {"a", "b"}},
        SplitCase{"trailing_backslash_is_literal", "a\\", {"a\\"}},
        SplitCase{"adjacent_parts_make_one_word", R"(-o'Port 22'"x y"z)", {"-oPort 22x yz"}},
        SplitCase{"empty_single_quoted_word", "a '' b", {"a", "", "b"}},
        SplitCase{"empty_double_quoted_word", R"("")", {""}},
        SplitCase{"nothing_is_expanded", "$HOME ~ * `id` $(id)", {"$HOME", "~", "*", "`id`", "$(id)"}}),
    [](const testing::TestParamInfo<SplitCase>& info) { return std::string(info.param.name); });

TEST(ShellWords, UnterminatedSingleQuote) {
  auto words = split_shell_words("ssh -o 'Port 22");
  ASSERT_FALSE(words.ok());
  EXPECT_EQ(words.error().code, ExitCode::bad_arguments);
  EXPECT_EQ(words.error().message, "unterminated single quote (opened at column 8)");
}

TEST(ShellWords, UnterminatedDoubleQuote) {
  auto words = split_shell_words(R"(ssh "abc\")");
  ASSERT_FALSE(words.ok());
  EXPECT_EQ(words.error().message, "unterminated double quote (opened at column 5)");
}

TEST(ShellWords, EscapedQuoteDoesNotOpen) {
  auto words = split_shell_words(R"(it\'s)");
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(*words, Words{"it's"});
}

TEST(ShellWords, MessagesAreOneLine) {
  auto words = split_shell_words("a\n'b\nc");
  ASSERT_FALSE(words.ok());
  EXPECT_EQ(words.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace dcc
