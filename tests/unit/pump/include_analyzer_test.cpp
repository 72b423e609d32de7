// The corpus: tricky include patterns, each a small tree on disk and the exact file set expected.
#include "pump/include_analyzer.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "../test_support.h"

namespace dcc::pump {
namespace {

class Corpus : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(scratch_.ready());
    char real[PATH_MAX];
    ASSERT_NE(::realpath(scratch_.path().c_str(), real), nullptr);
    root_ = real;
  }

  void write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(at(rel)).parent_path());
    test::spit(at(rel), text);
  }
  void link(const std::string& target, const std::string& rel) {
    std::filesystem::create_directories(std::filesystem::path(at(rel)).parent_path());
    ASSERT_EQ(::symlink(target.c_str(), at(rel).c_str()), 0);
  }
  std::string at(const std::string& rel) const { return root_ + "/" + rel; }

  // Analyses `argv` (run in the scratch dir) with `sys` (relative) as the compiler's directories.
  Result<IncludeAnalysis> run(std::vector<std::string> argv, std::vector<std::string> sys = {}) {
    auto cmd = parse_compile_command(argv);
    if (!cmd) return cmd.error();
    for (auto& dir : sys) dir = at(dir);
    return analyzer_.analyze(*cmd, sys, root_);
  }
  std::vector<std::string> files(std::vector<std::string> rels) const {
    for (auto& rel : rels) rel = at(rel);
    std::sort(rels.begin(), rels.end());
    return rels;
  }
  std::vector<std::string> sent(std::vector<std::string> argv, std::vector<std::string> sys = {}) {
    auto result = run(std::move(argv), std::move(sys));
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? result->files : std::vector<std::string>{};
  }

  test::ScratchDir scratch_{"pump_corpus"};
  std::string root_;
  IncludeAnalyzer analyzer_;
};

TEST_F(Corpus, QuotedLooksBesideTheIncluderAngleDoesNot) {
  write("src/main.c", "#include \"a.h\"\n#include <a.h>\n#include <b.h>\n");
  write("src/a.h", "");
  write("src/b.h", "");
  write("inc/a.h", "");
  EXPECT_EQ(sent({"gcc", "-Iinc", "-c", "src/main.c"}),
            files({"src/main.c", "src/a.h", "inc/a.h"}));
}

TEST_F(Corpus, SearchOrderIquoteIIsystemSystemIdirafter) {
  write("main.c",
        "#include \"x.h\"\n#include <y.h>\n#include <z.h>\n#include <w.h>\n#include <v.h>\n");
  for (const char* dir : {"q", "i", "s", "sys", "a"}) write(std::string(dir) + "/x.h", "");
  for (const char* dir : {"i", "s", "sys", "a"}) write(std::string(dir) + "/y.h", "");
  for (const char* dir : {"s", "sys", "a"}) write(std::string(dir) + "/z.h", "");
  for (const char* dir : {"sys", "a"}) write(std::string(dir) + "/v.h", "");
  write("a/w.h", "");
  auto argv = std::vector<std::string>{"gcc", "-iquote",    "q", "-Ii", "-isystem",
                                       "s",   "-idirafter", "a", "-c",  "main.c"};
  // v.h is found in the compiler's own directory first: not sent.
  EXPECT_EQ(sent(argv, {"sys"}), files({"main.c", "q/x.h", "i/y.h", "s/z.h", "a/w.h"}));
}

TEST_F(Corpus, IncludeNextContinuesAfterTheDirWhereItWasFound) {
  write("main.c", "#include <n.h>\n");
  write("i1/n.h", "#include_next <n.h>\n");
  write("i2/n.h", "#include_next <n.h>\n");
  write("i3/n.h", "");
  write("i3/unused.h", "");
  EXPECT_EQ(sent({"gcc", "-Ii1", "-Ii2", "-Ii3", "-c", "main.c"}),
            files({"main.c", "i1/n.h", "i2/n.h", "i3/n.h"}));
}

TEST_F(Corpus, ImportAndHasInclude) {
  write("main.m", "#import \"imp.h\"\n#if __has_include(<probe.h>)\n#endif\n");
  write("imp.h", "");
  write("inc/probe.h", "");
  EXPECT_EQ(sent({"gcc", "-Iinc", "-c", "main.m"}), files({"main.m", "imp.h", "inc/probe.h"}));
}

TEST_F(Corpus, ForcedIncludesAndImacros) {
  write("src/main.c", "int x;\n");
  write("force.h", "#include \"force_dep.h\"\n");
  write("force_dep.h", "");
  write("inc/mac.h", "#define M 1\n#include <mac_dep.h>\n");
  write("inc/mac_dep.h", "");
  EXPECT_EQ(sent({"gcc", "-Iinc", "-include", "force.h", "-imacros", "mac.h", "-c", "src/main.c"}),
            files({"src/main.c", "force.h", "force_dep.h", "inc/mac.h", "inc/mac_dep.h"}));
  auto missing = run({"gcc", "-include", "nowhere.h", "-c", "src/main.c"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nowhere.h"), std::string::npos);
}

TEST_F(Corpus, ComputedObjectLikeAndFunctionLike) {
  write(
      "main.c",
      "#define HDR \"comp.h\"\n#include HDR\n"
      "#define STR(x) #x\n#define XSTR(x) STR(x)\n#define PLAT linux_impl\n#include XSTR(PLAT.h)\n"
      "#define SYSH(n) <n.h>\n#include SYSH(angle)\n");
  write("comp.h", "");
  write("linux_impl.h", "");
  write("inc/angle.h", "");
  write("PLAT.h", "");  // what a non-expanding stringify would name: must not be sent
  EXPECT_EQ(sent({"gcc", "-Iinc", "-c", "main.c"}),
            files({"main.c", "comp.h", "linux_impl.h", "inc/angle.h"}));
}

TEST_F(Corpus, ComputedIncludeDefinedInAnotherHeader) {
  write("main.c", "#include \"config.h\"\n#include BACKEND\n");
  write("config.h",
        "#ifdef USE_B\n#define BACKEND \"backend_b.h\"\n#else\n#define BACKEND "
        "<backend_a.h>\n#endif\n");
  write("backend_b.h", "");
  write("inc/backend_a.h", "#include \"a_detail.h\"\n");
  write("inc/a_detail.h", "");
  EXPECT_EQ(sent({"gcc", "-Iinc", "-c", "main.c"}),
            files({"main.c", "config.h", "backend_b.h", "inc/backend_a.h", "inc/a_detail.h"}));
}

TEST_F(Corpus, ComputedIncludeDefinedOnTheCommandLineOrInAHeaderFoundByOne) {
  write("main.c", "#include CFG\n#include SYS\n#include LATE\n");
  write("cfg.h", "#include \"late_def.h\"\n");
  write("late_def.h", "#define LATE \"late.h\"\n");
  write("late.h", "");
  write("inc/sysx.h", "");
  EXPECT_EQ(sent({"gcc", "-Iinc", "-DCFG=\"cfg.h\"", "-DSYS=<sysx.h>", "-c", "main.c"}),
            files({"main.c", "cfg.h", "late_def.h", "late.h", "inc/sysx.h"}));
}

TEST_F(Corpus, BothSidesOfEveryConditional) {
  write(
      "main.c",
      "#if FOO\n#include \"one.h\"\n#elif BAR\n#include \"two.h\"\n#else\n#include "
      "\"three.h\"\n#endif\n"
      "#if 0\n#include \"dead.h\"\n#endif\n#ifdef NEVER\n#include \"does_not_exist.h\"\n#endif\n");
  for (const char* f : {"one.h", "two.h", "three.h", "dead.h"}) write(f, "");
  EXPECT_EQ(sent({"gcc", "-c", "main.c"}),
            files({"main.c", "one.h", "two.h", "three.h", "dead.h"}));
}

TEST_F(Corpus, GuardsPragmaOnceAndCyclesTerminate) {
  write("main.c", "#include \"a.h\"\n#include \"a.h\"\n#include \"once.h\"\n#include \"once.h\"\n");
  write("a.h", "#ifndef A_H\n#define A_H\n#include \"b.h\"\n#endif\n");
  write("b.h", "#include \"a.h\"\n#include \"b.h\"\n");
  write("once.h", "#pragma once\n#include \"once.h\"\n");
  EXPECT_EQ(sent({"gcc", "-c", "main.c"}), files({"main.c", "a.h", "b.h", "once.h"}));
}

TEST_F(Corpus, SymlinkedIncludeDirIsKeptAsALink) {
  write("real/h.h", "#include \"sib.h\"\n");
  write("real/sib.h", "");
  link("real", "inc");
  write("main.c", "#include <h.h>\n");
  auto result = run({"gcc", "-Iinc", "-c", "main.c"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->files, files({"main.c", "real/h.h", "real/sib.h"}));
  EXPECT_EQ(result->symlinks, (std::vector<SymlinkEntry>{{at("inc"), "real"}}));
}

TEST_F(Corpus, DotDotInPathsNeedsTheDirectoryItLeaves) {
  write("src/main.c", "#include \"../other/o.h\"\n#include \"sub/../p.h\"\n");
  write("other/o.h", "");
  write("src/p.h", "");
  std::filesystem::create_directories(at("src/sub"));
  auto result = run({"gcc", "-c", "src/main.c"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->files, files({"src/main.c", "other/o.h", "src/p.h"}));
  EXPECT_EQ(result->directories, files({"src", "src/sub"}));
  EXPECT_EQ(result->source, at("src/main.c"));
}

TEST_F(Corpus, SystemHeadersAreNotSentButTheirUserIncludesAre) {
  write("sys/s.h", "#include \"s_detail.h\"\n#include <userhook.h>\n");
  write("sys/s_detail.h", "");
  write("inc/userhook.h", "");
  write("main.c", "#include <s.h>\n");
  auto result = run({"gcc", "-Iinc", "-c", "main.c"}, {"sys"});
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->files, files({"main.c", "inc/userhook.h"}));
  EXPECT_EQ(result->system_dirs, files({"sys"}));
}

TEST_F(Corpus, EachHeaderIsReadOnceAcrossManyTranslationUnits) {
  write("common.h", "#include \"c1.h\"\n#include \"c2.h\"\n");
  write("c1.h", "#include \"c2.h\"\n");
  write("c2.h", "");
  for (int i = 0; i < 20; ++i) write("tu" + std::to_string(i) + ".c", "#include \"common.h\"\n");
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(sent({"gcc", "-c", "tu" + std::to_string(i) + ".c"}).size(), 4u);
  }
  AnalyzerStats cold = analyzer_.stats();
  EXPECT_EQ(cold.files_read, 23);      // 20 sources + 3 headers, each read once
  EXPECT_EQ(cold.nodes_expanded, 23);  // and analysed once in this include context
  EXPECT_EQ(sent({"gcc", "-c", "tu0.c"}), files({"tu0.c", "common.h", "c1.h", "c2.h"}));
  EXPECT_EQ(analyzer_.stats().files_read, cold.files_read);
  EXPECT_EQ(analyzer_.stats().nodes_expanded, cold.nodes_expanded);
  EXPECT_EQ(analyzer_.stats().resolutions, cold.resolutions);
  // A different -I chain is a different include context: the headers are analysed again
  // (resolved anew) but not read again.
  EXPECT_EQ(sent({"gcc", "-Inowhere", "-c", "tu1.c"}).size(), 4u);
  EXPECT_EQ(analyzer_.stats().files_read, cold.files_read);
}

TEST_F(Corpus, MacroBlowUpGivesUp) {
  std::string config;
  for (int i = 0; i < 600; ++i) config += "#define H \"h" + std::to_string(i) + ".h\"\n";
  write("main.c", config + "#include H\n");
  auto result = run({"gcc", "-c", "main.c"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("main.c"), std::string::npos);
}

TEST_F(Corpus, UnreadableHeaderGivesUp) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  write("main.c", "#include \"secret.h\"\n");
  write("secret.h", "");
  std::filesystem::permissions(at("secret.h"), std::filesystem::perms::none);
  auto result = run({"gcc", "-c", "main.c"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("secret.h"), std::string::npos);
}

TEST_F(Corpus, RealCompilerSystemHeadersAreExcluded) {
  write("main.c", "#include <stdio.h>\n#include \"local.h\"\n");
  write("local.h", "#include <stdlib.h>\n");
  auto result = analyzer_.analyze(std::vector<std::string>{"gcc", "-c", "main.c"}, root_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->files, files({"main.c", "local.h"}));
  EXPECT_FALSE(result->system_dirs.empty());
}

}  // namespace
}  // namespace dcc::pump
