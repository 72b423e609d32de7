#include "daemon/source_safety.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_support.h"
#include "common/child_process.h"

namespace dcc {
namespace {

// ---- refused
// -------------------------------------------------------------------------------------

struct UnsafeCase {
  const char* name;
  std::string source;
  const char* message_part;  // what the refusal must mention
};

void PrintTo(const UnsafeCase& c, std::ostream* os) { *os << c.name; }

class Unsafe : public testing::TestWithParam<UnsafeCase> {};

TEST_P(Unsafe, IsRefused) {
  auto problem = find_unsafe_source_content(GetParam().source);
  ASSERT_TRUE(problem.has_value()) << "accepted:\n" << GetParam().source;
  EXPECT_NE(problem->find(GetParam().message_part), std::string::npos) << *problem;
}

const char* const kLeak = "int main(void) { return 0; }\n";

INSTANTIATE_TEST_SUITE_P(
    SourceSafety, Unsafe,
    testing::Values(
        // Assembler directives that read a file, wherever they hide.
        UnsafeCase{"asm_incbin", "asm(\".incbin \\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_incbin_in_function",
                   "void f(void) { __asm__ volatile(\".incbin \\\"/etc/shadow\\\"\"); }\n",
                   "incbin"},
        UnsafeCase{"asm_include", "asm(\".include \\\"/etc/passwd\\\"\");\n", ".include"},
        UnsafeCase{"incbin_in_a_comment_still_refused", "/* .incbin */ int x;\n", "incbin"},
        // GNU as directives are case-insensitive: `.INCBIN` embeds the file as well.
        UnsafeCase{"asm_incbin_upper", "asm(\".INCBIN \\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_incbin_mixed", "asm(\".IncBin \\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_include_upper", "asm(\".INCLUDE \\\"/etc/passwd\\\"\");\n", ".include"},
        // A line splice inside the string literal joins ".inc" and "bin" before as sees it.
        UnsafeCase{"asm_incbin_after_newline_escape", "asm(\"nop\\n.incbin \\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_incbin_after_tab_escape", "asm(\"nop\\n\\t.incbin \\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_incbin_after_octal_escape", "asm(\"nop\\012.incbin \\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_incbin_after_semicolon", "asm(\"nop;.incbin \\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_incbin_quote_right_after", "asm(\".incbin\\\"/etc/passwd\\\"\");\n", "incbin"},
        UnsafeCase{"asm_incbin_spliced", "asm(\".inc\\\nbin \\\"/etc/passwd\\\"\");\n", "incbin"},
        // Preprocessor directives that read files or probe for them.
        UnsafeCase{"include", std::string("#include \"/etc/passwd\"\n") + kLeak, "#include"},
        UnsafeCase{"include_angle", "#include </etc/passwd>\n", "#include"},
        UnsafeCase{"include_next", "#include_next <stdio.h>\n", "#include"},
        UnsafeCase{"import", "#import \"/etc/passwd\"\n", "#import"},
        UnsafeCase{"embed", "const char d[] = {\n#embed \"/etc/shadow\"\n};\n", "#embed"},
        UnsafeCase{"if_has_include", "#if __has_include(\"/etc/shadow\")\nint x;\n#endif\n", "#if"},
        UnsafeCase{"ifdef", "#ifdef X\n#endif\n", "#if"},
        UnsafeCase{"ifndef", "#ifndef X\n#endif\n", "#if"},
        UnsafeCase{"elif", "#elif __has_include(<x>)\n", "#elif"},
        UnsafeCase{"indented", "   \t#include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"space_after_hash", "#   include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"tab_after_hash", "#\tinclude \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"vertical_tab_after_hash", "#\v include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"after_code_lines", std::string(kLeak) + "int y;\n#include \"/etc/passwd\"\n",
                   "#include"},
        UnsafeCase{"first_line_no_newline", "#include \"/etc/passwd\"", "#include"},
        UnsafeCase{"crlf_lines", "int x;\r\n#include \"/etc/passwd\"\r\n", "#include"},
        // A comment is a space: the directive still starts the line.
        UnsafeCase{"comment_before_hash", "/**/ #include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"comment_text_before_hash", "/* x */#include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"multiline_comment_before_hash_errs_towards_refusal",
                   "int a; /* one\ntwo */ #include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"directive_after_comment_line",
                   "// #include is fine here\n#include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"directive_after_string_line",
                   "const char* s = \"#include\";\n#include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"unterminated_string_line", "const char* s = \"abc\n#include \"/etc/passwd\"\n",
                   "#include"},
        // Spellings gcc and clang accept for the same directive.
        UnsafeCase{"comment_between_hash_and_name", "#/**/include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"comments_around_name", "# /* a */ /* b */ include \"/etc/passwd\"\n",
                   "#include"},
        UnsafeCase{"digraph_hash", "%:include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"digraph_hash_indented", "  %: include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"trigraph_hash", "?\?=include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"splice_after_hash", "#\\\ninclude \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"splice_inside_name", "#inc\\\nlude \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"splice_with_crlf", "#inc\\\r\nlude \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"splice_with_trailing_blank", "#inc\\ \nlude \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"trigraph_splice", "#inc?\?/\nlude \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"splice_before_hash", "  \\\n#include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"lone_cr_ends_a_line", "int x;\r#include \"/etc/passwd\"\n", "#include"},
        UnsafeCase{"lone_cr_after_string", "char* s = \"a\r#include \"/etc/passwd\"\n", "#include"},
        // A backslash-newline that one compiler splices and another might not: both readings count.
        UnsafeCase{"trigraph_backslash_not_a_splice_without_trigraphs",
                   "int x; /* ?\?/ */ // ?\?/\n#include \"/etc/passwd\"\n", "#include"},
        // #pragma GCC dependency reads the named file's date; pch_preprocess opens the file.
        UnsafeCase{"pragma_dependency", "#pragma GCC dependency \"/etc/shadow\"\n", "dependency"},
        UnsafeCase{"pragma_dependency_tabs", "#pragma\tGCC\t\tdependency \"/etc/shadow\"\n",
                   "dependency"},
        UnsafeCase{"pragma_dependency_comment", "#pragma GCC/**/dependency \"/etc/shadow\"\n",
                   "dependency"},
        UnsafeCase{"pragma_dependency_splice", "#pragma GCC depend\\\nency \"/etc/shadow\"\n",
                   "dependency"},
        UnsafeCase{"pragma_operator_dependency",
                   "_Pragma(\"GCC dependency \\\"/etc/shadow\\\"\") int x;\n", "dependency"},
        UnsafeCase{"pragma_pch_preprocess", "#pragma GCC pch_preprocess \"/etc/shadow\"\n",
                   "pch_preprocess"}),
    [](const testing::TestParamInfo<UnsafeCase>& info) { return std::string(info.param.name); });

// ---- accepted
// ------------------------------------------------------------------------------------

struct SafeCase {
  const char* name;
  std::string source;
};

void PrintTo(const SafeCase& c, std::ostream* os) { *os << c.name; }

class Safe : public testing::TestWithParam<SafeCase> {};

TEST_P(Safe, IsAccepted) {
  auto problem = find_unsafe_source_content(GetParam().source);
  EXPECT_FALSE(problem.has_value()) << *problem << "\nin:\n" << GetParam().source;
}

INSTANTIATE_TEST_SUITE_P(
    SourceSafety, Safe,
    testing::Values(
        SafeCase{"empty", ""}, SafeCase{"plain_code", "int main(void) { return 0; }\n"},
        // Member names that start like a directive (found in this project's own client code).
        SafeCase{"member_include_prefix", "int f(struct C c) { return c.include_server_port + c.includes; }\n"},
        SafeCase{"member_named_include", "void f(Opts o) { o.include = 1; g().incbin = 2; a[0].include = 3; }\n"},
        SafeCase{"line_markers",
                 "# 1 \"x.c\"\n# 1 \"<built-in>\"\n# 1 \"/usr/include/stdio.h\" 1 3 4\nint x;\n"},
        SafeCase{"line_directive", "#line 10 \"x.c\"\nint x;\n"},
        SafeCase{"pragma_once",
                 "#pragma once\n#pragma GCC diagnostic push\n#pragma GCC system_header\n"},
        SafeCase{"pragma_gcc_other",
                 "#pragma GCC visibility push(default)\n#pragma GCC poison printf\n"},
        SafeCase{"define_undef",
                 "#define X 1\n#undef X\n#define STR(x) #x\n#define CAT(a, b) a##b\n"},
        SafeCase{"define_continued", "#define LONG(a) \\\n  do { (a)++; } while (0)\n"},
        SafeCase{"ident", "#ident \"$Id$\"\n"},
        SafeCase{"comment_mentions_if",
                 "/* Use like this:\n   #if __GNUC_PREREQ (2,8)\n   #endif\n */\nint x;\n"},
        SafeCase{"line_comment_mentions_include", "// #include <stdio.h>\nint x;\n"},
        SafeCase{"comment_after_code_mentions_if", "int x; /* #if 0 */\n"},
        SafeCase{"string_contains_include", "const char* s = \"#include <stdio.h>\";\n"},
        SafeCase{"string_at_line_start", "\"#include <x>\"\n"},
        SafeCase{"string_with_escaped_quote", "const char* s = \"\\\"#include\\\"\";\n"},
        SafeCase{"char_literal_hash", "char c = '#';\nchar d = '\\'';\n"},
        SafeCase{"hash_mid_line", "int a; # include\n"},
        SafeCase{"stringize_in_macro_body", "#define S(x) # x\n"},
        SafeCase{"pragma_operator_other",
                 "_Pragma(\"GCC diagnostic ignored \\\"-Wformat\\\"\") int x;\n"},
        SafeCase{"word_gcc_alone", "int GCC = 1; int dependency = 2;\n"},
        SafeCase{"ifs_in_code", "int f(int x) { if (x) return 1; return 0; }\n"},
        SafeCase{"include_word_in_code", "int include = 0; int import = 1; int embed = 2;\n"},
        SafeCase{"percent_colon_mid_line", "int x = a %:b;\n"},
        SafeCase{"question_marks_in_comment", "/* ??? */ int x;\n"},
        SafeCase{
            "inline_asm",
            "int f(void) { int r; __asm__ volatile(\"movl $1, %0\" : \"=r\"(r)); return r; }\n"}),
    [](const testing::TestParamInfo<SafeCase>& info) { return std::string(info.param.name); });

// ---- real preprocessor output ------------------------------------------------------------------

bool on_path(const std::string& compiler) {
  auto probe = run_capture({compiler, "--version"});
  return probe.ok() && probe->wait_status == 0;
}

class RealPreprocessorOutput : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(scratch_.ready());
    if (!on_path("gcc"))
      GTEST_SKIP() << "gcc is not on PATH: cannot produce real preprocessed output";
  }

  // Preprocesses `text` (saved as `name`) with `compiler` and `flags` and returns the output.
  std::string preprocess(const std::string& compiler, const std::string& name,
                         const std::string& text, const std::vector<std::string>& flags) {
    std::string path = scratch_.file(name);
    test::spit(path, text);
    std::vector<std::string> argv = {compiler, "-E"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(path);
    auto run = run_capture(argv);
    if (!run.ok()) {
      ADD_FAILURE() << run.error().message;
      return "";
    }
    EXPECT_EQ(run->wait_status, 0) << run->err;
    EXPECT_GT(run->out.size(), 1000u);
    return run->out;
  }

  test::ScratchDir scratch_{"source_safety"};
};

const char* const kHelloC =
    "#include <stdio.h>\n"
    "#include <stdlib.h>\n"
    "/* #if 0 in a comment */\n"
    "int main(void) {\n"
    "  puts(\"#include <not-a-directive>\");\n"
    "  return EXIT_SUCCESS;\n"
    "}\n";

TEST_F(RealPreprocessorOutput, GccPreprocessedOutputIsAccepted) {
  std::string out = preprocess("gcc", "hello.c", kHelloC, {});
  auto problem = find_unsafe_source_content(out);
  EXPECT_FALSE(problem.has_value()) << *problem;
}

TEST_F(RealPreprocessorOutput, GccDirectivesOnlyOutputIsAccepted) {
  // -fdirectives-only keeps the headers' comments and #defines, which mention "#if" a lot.
  std::string out = preprocess("gcc", "hello.c", kHelloC, {"-fdirectives-only"});
  ASSERT_NE(out.find("#define"), std::string::npos) << "not directives-only output";
  auto problem = find_unsafe_source_content(out);
  EXPECT_FALSE(problem.has_value()) << *problem;
}

TEST_F(RealPreprocessorOutput, GccDirectivesOnlyOutputWithMacroDebugInfoIsAccepted) {
  std::string out = preprocess("gcc", "hello.c", kHelloC, {"-fdirectives-only", "-g3", "-O2"});
  auto problem = find_unsafe_source_content(out);
  EXPECT_FALSE(problem.has_value()) << *problem;
}

TEST_F(RealPreprocessorOutput, GxxDirectivesOnlyOutputOfTheStandardLibraryIsAccepted) {
  if (!on_path("g++")) GTEST_SKIP() << "g++ is not on PATH: cannot preprocess the C++ library";
  const char* source =
      "#include <vector>\n#include <string>\n#include <map>\n#include <iostream>\n"
      "int main() { std::vector<std::string> v{\"#if\"}; std::cout << v.size(); }\n";
  for (const auto& flags :
       {std::vector<std::string>{}, std::vector<std::string>{"-fdirectives-only"}}) {
    std::string out = preprocess("g++", "hello.cpp", source, flags);
    auto problem = find_unsafe_source_content(out);
    EXPECT_FALSE(problem.has_value())
        << *problem << (flags.empty() ? "" : " with -fdirectives-only");
  }
}

TEST_F(RealPreprocessorOutput, IncludeAddedToHonestOutputIsRefused) {
  std::string out = preprocess("gcc", "hello.c", kHelloC, {"-fdirectives-only"});
  auto problem = find_unsafe_source_content(out + "#include \"/etc/passwd\"\n");
  EXPECT_TRUE(problem.has_value());
}

}  // namespace
}  // namespace dcc
