#include "pump/directive_lexer.h"

#include <gtest/gtest.h>

#include <chrono>

namespace dcc::pump {
namespace {

std::vector<std::string> names(const FileDirectives& d) {
  std::vector<std::string> out;
  for (const auto& inc : d.includes) out.push_back(inc.name);
  return out;
}

TEST(DirectiveLexer, FindsIncludeForms) {
  auto d = lex_directives(
      "#include \"a.h\"\n  #  include <b/c.h>\n#include_next <d.h>\n#import \"e.h\"\n");
  ASSERT_EQ(d.includes.size(), 4u);
  EXPECT_EQ(d.includes[0].form, IncludeForm::quoted);
  EXPECT_EQ(d.includes[1].form, IncludeForm::angle);
  EXPECT_EQ(d.includes[1].name, "b/c.h");
  EXPECT_EQ(d.includes[2].kind, IncludeKind::include_next);
  EXPECT_EQ(d.includes[3].kind, IncludeKind::import);
}

TEST(DirectiveLexer, ComputedIncludeKeepsTokens) {
  auto d = lex_directives("#include HDR(x) // trailing\n");
  ASSERT_EQ(d.includes.size(), 1u);
  EXPECT_EQ(d.includes[0].form, IncludeForm::computed);
  ASSERT_EQ(d.includes[0].tokens.size(), 4u);
  EXPECT_EQ(d.includes[0].tokens[0].text, "HDR");
}

TEST(DirectiveLexer, CommentsStringsAndContinuationsDoNotFoolIt) {
  const char* text =
      "// #include \"no1.h\"\n"
      "/* a comment\n#include \"no2.h\"\n*/\n"
      "const char* s = \"\\\n#include \\\"no3.h\\\"\";\n"
      "auto r = R\"x(\n#include \"no4.h\"\n)x\";\n"
      "#error don't stop here\n"
      "int n = 1'000'000;\n"
      "#inc\\\nlude \"yes1.h\"\n"
      "/* c */ #include \"yes2.h\"\n"
      "#include /* inside */ \"yes3.h\"\n";
  EXPECT_EQ(names(lex_directives(text)), (std::vector<std::string>{"yes1.h", "yes2.h", "yes3.h"}));
}

// Found while fuzzing: every quote of a 1'1'1'... token rescanned the token back to its start,
// so a 600 KB one took minutes. Now linear: milliseconds, even under ASan, far below the bound.
TEST(DirectiveLexer, LongDigitSeparatorRunIsLinear) {
  std::string number = "1";
  for (int i = 0; i < 300000; ++i) number += "'1";
  std::string text = "int n = " + number + ";\nchar c = 'x';\n#include \"after.h\"\n";
  auto start = std::chrono::steady_clock::now();
  auto d = lex_directives(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(names(d), std::vector<std::string>{"after.h"});
}

TEST(DirectiveLexer, DigitSeparatorsAndCharacterLiteralsAfterThem) {
  // 0x1'f'a is one number; after it 'x' is a character literal; a'b' is an identifier then a
  // literal that swallows nothing past its line.
  auto d = lex_directives("int a = 0x1'f'a; char c = '#'; int b = a'b';\n#include \"yes.h\"\n");
  EXPECT_EQ(names(d), std::vector<std::string>{"yes.h"});
}

TEST(DirectiveLexer, DefinesAndUndefs) {
  auto d = lex_directives(
      "#define A \"a.h\"\n#define F(x, y) <x/y.h>\n#define V(fmt, ...) __VA_ARGS__\n"
      "#define N(args...) args\n#define LONG 1 + \\\n 2\n#undef A\n");
  ASSERT_EQ(d.defines.size(), 5u);
  EXPECT_FALSE(d.defines[0].function_like);
  EXPECT_EQ(d.defines[0].body.size(), 1u);
  EXPECT_TRUE(d.defines[1].function_like);
  EXPECT_EQ(d.defines[1].params, (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(d.defines[2].variadic);
  EXPECT_EQ(d.defines[2].params, (std::vector<std::string>{"fmt", "__VA_ARGS__"}));
  EXPECT_EQ(d.defines[3].params, (std::vector<std::string>{"args"}));
  EXPECT_EQ(d.defines[4].body.size(), 3u);
  EXPECT_EQ(d.undefs, (std::vector<std::string>{"A"}));
}

TEST(DirectiveLexer, HasIncludeOperandsAreCandidates) {
  auto d = lex_directives(
      "#if __has_include(<opt.h>) && __has_include_next(\"n.h\")\n#elif "
      "__has_include(X)\n#endif\n");
  ASSERT_EQ(d.includes.size(), 3u);
  EXPECT_EQ(d.includes[0].kind, IncludeKind::has_include);
  EXPECT_EQ(d.includes[0].name, "opt.h");
  EXPECT_EQ(d.includes[1].kind, IncludeKind::has_include_next);
  EXPECT_EQ(d.includes[2].form, IncludeForm::computed);
}

TEST(DirectiveLexer, TokenizeMarksSpaces) {
  auto t = tokenize("< a/b .h>");
  ASSERT_EQ(t.size(), 7u);  // < a / b . h >
  EXPECT_TRUE(t[1].space_before);
  EXPECT_FALSE(t[2].space_before);
  EXPECT_TRUE(t[4].space_before);
  EXPECT_EQ(tokenize("x ## y")[1].text, "##");
  EXPECT_EQ(tokenize("L\"w\"")[0].kind, PpToken::Kind::string);
}

}  // namespace
}  // namespace dcc::pump
