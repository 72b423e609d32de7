#include "tools/distccmon-text/text_options.h"

#include <gtest/gtest.h>

namespace dcc::monitor {
namespace {

using namespace std::chrono_literals;

Result<TextOptions> parse(std::vector<std::string> args) { return parse_text_options(args); }

TEST(TextOptions, NoArgumentPrintsOnce) {
  auto o = parse({});
  ASSERT_TRUE(o);
  EXPECT_EQ(o->action, TextAction::run);
  EXPECT_EQ(o->delay, 0ns);
}

TEST(TextOptions, FractionalDelays) {
  EXPECT_EQ(parse({"2"})->delay, 2s);
  EXPECT_EQ(parse({"0.5"})->delay, 500ms);
  EXPECT_EQ(parse({"1e-1"})->delay, 100ms);
  EXPECT_EQ(parse({"0"})->delay, 0ns);
  EXPECT_EQ(parse({"86400"})->delay, 86400s);
}

TEST(TextOptions, HelpAndVersion) {
  EXPECT_EQ(parse({"--help"})->action, TextAction::help);
  EXPECT_EQ(parse({"-h"})->action, TextAction::help);
  EXPECT_EQ(parse({"--version"})->action, TextAction::version);
}

class BadDelay : public testing::TestWithParam<const char*> {};

TEST_P(BadDelay, IsOneLineNamingIt) {
  auto o = parse({GetParam()});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ExitCode::bad_arguments);
  EXPECT_NE(o.error().message.find(std::string("'") + GetParam() + "'"), std::string::npos) << o.error().message;
  EXPECT_EQ(o.error().message.find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(TextOptions, BadDelay,
                         testing::Values("", "abc", "2s", "1 ", "-1", "-0.5", "nan", "inf", "1e400", "86401"));

TEST(TextOptions, UnknownOptionAndTooManyArguments) {
  EXPECT_FALSE(parse({"--verbose"}));
  EXPECT_FALSE(parse({"1", "2"}));
  EXPECT_EQ(parse({"1", "2"}).error().code, ExitCode::bad_arguments);
}

TEST(TextOptions, UsageListsEveryOption) {
  std::string usage(text_usage());
  for (const char* word : {"DELAY", "--help", "--version", "DISTCC_DIR"}) {
    EXPECT_NE(usage.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace dcc::monitor
