#include "daemon/dotd_rewrite.h"

#include <gtest/gtest.h>

#include <string>

namespace dcc {
namespace {

const std::string kRoot = "/tmp/distccd_AZsQAy/root";

TEST(ReplacePaths, RemovesTheRootAndNamesTheClientsObject) {
  EXPECT_EQ(replace_paths("/tmp/job/out.o: " + kRoot + "/home/u/x.h\n", kRoot, "/tmp/job/out.o", "hello.o"),
            "hello.o: /home/u/x.h\n");
  EXPECT_EQ(replace_paths("In file included from " + kRoot + "/p/a.h:1:\n", kRoot, "", ""),
            "In file included from /p/a.h:1:\n");
}

// What gcc 12 wrote locally for hello.c in tests/e2e/test_pump_daemon.sh, and what it wrote in
// the mirror (longer paths, so different line breaks).
TEST(RewriteDotd, RewrapsTheFirstRuleAsGccDoes) {
  std::string local =
      "hello.o: hello.c /usr/include/stdc-predef.h /usr/include/stdio.h \\\n"
      " /tmp/dcc_e2e.SQTJrf/proj/lib/lib.h linked/r.h\n";
  std::string server =
      "/tmp/j/out.o: hello.c /usr/include/stdc-predef.h /usr/include/stdio.h \\\n"
      " " + kRoot + "/tmp/dcc_e2e.SQTJrf/proj/lib/lib.h \\\n"
      " linked/r.h\n";
  EXPECT_EQ(rewrite_dotd(server, kRoot, "/tmp/j/out.o", "hello.o", DotdStyle::gcc), local);
}

TEST(RewriteDotd, PhonyTargetsAfterTheRuleAreKept) {
  std::string server = "/tmp/j/out.o: a.c " + kRoot + "/p/b.h\n\n" + kRoot + "/p/b.h:\n";
  EXPECT_EQ(rewrite_dotd(server, kRoot, "/tmp/j/out.o", "a.o", DotdStyle::gcc), "a.o: a.c /p/b.h\n\n/p/b.h:\n");
}

TEST(RewriteDotd, EscapedBlanksStayInsideTheirName) {
  std::string server = "/tmp/j/out.o: my\\ file.c " + kRoot + "/p/dir\\ x/b.h\n";
  EXPECT_EQ(rewrite_dotd(server, kRoot, "/tmp/j/out.o", "a.o", DotdStyle::gcc), "a.o: my\\ file.c /p/dir\\ x/b.h\n");
}

// Expected outputs below are what gcc 12 and clang 14 wrote for these names (-MD -MT t.o).
TEST(RewriteDotd, GccBreaksBeforeANameThatWouldPassColumn72) {
  std::string x62(62, 'x');
  std::string unwrapped = "t.o: a.c /usr/include/stdc-predef.h " + x62 + ".h b.h\n";
  EXPECT_EQ(rewrite_dotd(unwrapped, "", "", "", DotdStyle::gcc),
            "t.o: a.c /usr/include/stdc-predef.h \\\n " + x62 + ".h b.h\n");
}

TEST(RewriteDotd, ClangWrapsAt75WithItsOwnIndentation) {
  std::string x62(62, 'x'), y64(64, 'y');
  EXPECT_EQ(rewrite_dotd("t.o: a.c " + x62 + ".h b.h\n", "", "", "", DotdStyle::clang),
            "t.o: a.c " + x62 + ".h \\\n  b.h\n");
  EXPECT_EQ(rewrite_dotd("t.o: a2.c " + y64 + ".h b.h\n", "", "", "", DotdStyle::clang),
            "t.o: a2.c \\\n  " + y64 + ".h b.h\n");
}

TEST(RewriteDotd, TextWithoutARuleIsLeftAlone) {
  EXPECT_EQ(rewrite_dotd("", kRoot, "x", "y", DotdStyle::gcc), "");
  EXPECT_EQ(rewrite_dotd("no rule here", kRoot, "x", "y", DotdStyle::gcc), "no rule here");
}

TEST(DotdStyleFor, RecognisesClangByName) {
  EXPECT_EQ(dotd_style_for("/usr/bin/clang++-14"), DotdStyle::clang);
  EXPECT_EQ(dotd_style_for("x86_64-linux-gnu-gcc"), DotdStyle::gcc);
  EXPECT_EQ(dotd_style_for("c++"), DotdStyle::gcc);
}

}  // namespace
}  // namespace dcc
