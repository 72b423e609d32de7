#include "pump/scan_report.h"

#include <gtest/gtest.h>

namespace dcc::pump {
namespace {

TEST(ScanReport, ThreeFourLayout) {
  IncludeAnalysis a;
  a.system_dirs = {"/usr/include"};
  a.directories = {"/p/sub"};
  a.symlinks = {{"/p/inc", "real"}};
  a.files = {"/p/a.h", "/p/main.c"};
  EXPECT_EQ(format_scan_report(a),
            "SYSTEMDIR /usr/include\n"
            "DIRECTORY /p/sub\n"
            "SYMLINK   /p/inc\n"
            "FILE      /p/a.h\n"
            "FILE      /p/main.c\n");
}

}  // namespace
}  // namespace dcc::pump
