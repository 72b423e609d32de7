#include "pump/compile_command.h"

#include <gtest/gtest.h>

namespace dcc::pump {
namespace {

Result<CompileCommand> parse(std::vector<std::string> argv) { return parse_compile_command(argv); }

TEST(CompileCommand, CollectsSearchOptionsInOrder) {
  auto cmd =
      parse({"gcc",      "-c",    "-Ia",        "-I",  "b",        "-iquote", "q",
             "-isystem", "s",     "-idirafter", "z",   "-include", "f.h",     "-imacros",
             "m.h",      "-DX=1", "-D",         "Y",   "-std=c11", "-m32",    "--sysroot=/sr",
             "main.c",   "-o",    "main.o",     "-MF", "x.d"});
  ASSERT_TRUE(cmd.ok()) << cmd.error().message;
  EXPECT_EQ(cmd->compiler, "gcc");
  EXPECT_EQ(cmd->source, "main.c");
  EXPECT_EQ(cmd->language, "c");
  EXPECT_EQ(cmd->include_dirs, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(cmd->quote_dirs, (std::vector<std::string>{"q"}));
  EXPECT_EQ(cmd->isystem_dirs, (std::vector<std::string>{"s"}));
  EXPECT_EQ(cmd->after_dirs, (std::vector<std::string>{"z"}));
  EXPECT_EQ(cmd->forced_includes, (std::vector<std::string>{"f.h"}));
  EXPECT_EQ(cmd->imacros, (std::vector<std::string>{"m.h"}));
  EXPECT_EQ(cmd->macro_defines, (std::vector<std::string>{"X=1", "Y"}));
  EXPECT_EQ(cmd->default_dir_flags,
            (std::vector<std::string>{"-std=c11", "-m32", "--sysroot=/sr"}));
}

TEST(CompileCommand, LanguageFromExtensionOrX) {
  EXPECT_EQ(parse({"g++", "-c", "x.cc"})->language, "c++");
  EXPECT_EQ(parse({"gcc", "-x", "c++", "-c", "x.c"})->language, "c++");
  EXPECT_EQ(parse({"gcc", "-c", "x.S"})->language, "assembler-with-cpp");
}

TEST(CompileCommand, SplitDashIMakesEarlierDirsQuoteOnly) {
  auto cmd = parse({"gcc", "-Ia", "-I-", "-Ib", "-c", "x.c"});
  ASSERT_TRUE(cmd.ok());
  EXPECT_TRUE(cmd->no_current_dir);
  EXPECT_EQ(cmd->quote_dirs, (std::vector<std::string>{"a"}));
  EXPECT_EQ(cmd->include_dirs, (std::vector<std::string>{"b"}));
}

TEST(CompileCommand, GivesUpWithAReason) {
  for (auto argv :
       std::vector<std::vector<std::string>>{{"gcc", "-c", "a.c", "b.c"},
                                             {"gcc", "-c"},
                                             {"gcc", "-iprefix", "p", "-c", "a.c"},
                                             {"gcc", "-Xpreprocessor", "-I", "-c", "a.c"},
                                             {"gcc", "-I=inc", "-c", "a.c"},
                                             {"gcc", "@args", "-c", "a.c"},
                                             {"gcc", "-c", "a.f90"},
                                             {"gcc", "-c", "a.c", "-I"},
                                             {"gcc", "-include-pch", "x.pch", "-c", "a.c"},
                                             {"gcc", "-c", "a.c", "-include"}}) {
    auto cmd = parse(argv);
    ASSERT_FALSE(cmd.ok()) << argv.back();
    EXPECT_EQ(cmd.error().message.rfind("pump: ", 0), 0u) << cmd.error().message;
  }
}

}  // namespace
}  // namespace dcc::pump
