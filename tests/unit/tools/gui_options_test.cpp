#include "tools/monitor/gui_options.h"

#include <gtest/gtest.h>

#include <vector>

namespace dcc::monitor {
namespace {

Result<GuiOptions> parse(std::vector<std::string> args) { return parse_gui_options(args); }

TEST(GuiOptions, DefaultsAs34) {
  auto options = parse({});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->action, GuiAction::run);
  EXPECT_EQ(options->interval, std::chrono::milliseconds(500));
  EXPECT_FALSE(options->display.has_value());
}

TEST(GuiOptions, HelpAndVersionWinWhereverTheyAre) {
  EXPECT_EQ(parse({"--help"})->action, GuiAction::help);
  EXPECT_EQ(parse({"-h"})->action, GuiAction::help);
  EXPECT_EQ(parse({"--interval", "2", "--version"})->action, GuiAction::version);
}

struct IntervalCase {
  std::vector<std::string> args;
  long milliseconds;
};
class GuiIntervalTest : public testing::TestWithParam<IntervalCase> {};
TEST_P(GuiIntervalTest, Parsed) {
  auto options = parse(GetParam().args);
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->interval.count(), GetParam().milliseconds);
}
INSTANTIATE_TEST_SUITE_P(Forms, GuiIntervalTest,
                         testing::Values(IntervalCase{{"--interval", "2"}, 2000},
                                         IntervalCase{{"--interval=0.25"}, 250},
                                         IntervalCase{{"-i", "0.1"}, 100},
                                         IntervalCase{{"-i", "60"}, 60000},
                                         IntervalCase{{"-i", "1e-1"}, 100}));

class GuiBadArgsTest : public testing::TestWithParam<std::vector<std::string>> {};
TEST_P(GuiBadArgsTest, RefusedWithOneLineNamingIt) {
  auto options = parse(GetParam());
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().message.find('\n'), std::string::npos);
  EXPECT_NE(options.error().message.find("see --help"), std::string::npos);
}
INSTANTIATE_TEST_SUITE_P(
    Bad, GuiBadArgsTest,
    testing::Values(std::vector<std::string>{"--interval"},
                    std::vector<std::string>{"--interval", "fast"},
                    std::vector<std::string>{"--interval", ""},
                    std::vector<std::string>{"-i", "0.05"}, std::vector<std::string>{"-i", "61"},
                    std::vector<std::string>{"-i", "nan"}, std::vector<std::string>{"--display"},
                    std::vector<std::string>{"--display="},
                    std::vector<std::string>{"--frobnicate"}, std::vector<std::string>{"2"}));

TEST(GuiOptions, BadIntervalNamesTheValue) {
  auto options = parse({"--interval", "fast"});
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.error().message.find("'fast'"), std::string::npos);
}

TEST(GuiOptions, Display) {
  EXPECT_EQ(parse({"--display", ":7"})->display, ":7");
  EXPECT_EQ(parse({"--display=host:1.0"})->display, "host:1.0");
}

TEST(GuiOptions, UsageListsEveryOptionAndTheOtherName) {
  std::string usage(gui_usage());
  for (const char* word :
       {"--interval", "-i,", "--display", "--help", "--version", "distccmon-gnome", "DISTCC_DIR"}) {
    EXPECT_NE(usage.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace dcc::monitor
