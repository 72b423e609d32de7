#include "tools/distccmon-text/text_format.h"

#include <gtest/gtest.h>

namespace dcc::monitor {
namespace {

TEST(TextFormat, OneLineIn34sColumns) {
  EXPECT_EQ(format_task_line({4242, Phase::compile, "util.c", "127.0.0.1:3632", 0}),
            "  4242  Compile     util.c                                   127.0.0.1:3632[0]\n");
}

TEST(TextFormat, LongNamesAreCutToTheirColumns) {
  EXPECT_EQ(format_task_line({11499, Phase::connect, "a-very-long-file-name-that-exceeds-thirty-chars.c",
                              "a-host-name-longer-than-24-characters.example", 1}),
            " 11499  Connect     a-very-long-file-name-that-exc a-host-name-longer-than-[1]\n");
}

TEST(TextFormat, PidAndSlotAreNotCut) {
  EXPECT_EQ(format_task_line({4294967295UL, Phase::receive, "", "", -2147483647 - 1}),
            "4294967295  Receive                                                            [-2147483648]\n");
}

TEST(TextFormat, BlockSkipsDoneJobsAndEndsWithABlankLine) {
  std::vector<MonitorTask> tasks = {{1, Phase::preprocess, "a.c", "localhost", 0},
                                    {2, Phase::done, "b.c", "localhost", 1},
                                    {3, Phase::send, "c.c", "box", 2}};
  EXPECT_EQ(format_block(tasks),
            "     1  Preprocess  a.c                                           localhost[0]\n"
            "     3  Send        c.c                                                 box[2]\n"
            "\n");
}

TEST(TextFormat, EmptyListIsABlankLine) { EXPECT_EQ(format_block({}), "\n"); }

}  // namespace
}  // namespace dcc::monitor
