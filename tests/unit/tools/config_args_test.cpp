#include "tools/distcc-config/config_args.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

TEST(ConfigArgs, NoArgumentsIsHelp) {
  EXPECT_EQ(parse_config_args({})->action, ConfigAction::help);
}

TEST(ConfigArgs, CommandsAndValues) {
  auto c = parse_config_args({"--set-hosts", "--randomize a/4 b"});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->action, ConfigAction::set_hosts);
  EXPECT_EQ(c->values, std::vector<std::string>{"--randomize a/4 b"});
  EXPECT_EQ(parse_config_args({"--set-env", "A", "b"})->values,
            (std::vector<std::string>{"A", "b"}));
  EXPECT_EQ(parse_config_args({"--get-env"})->action, ConfigAction::get_env);
  EXPECT_EQ(parse_config_args({"--update-masquerade-with-crossdev"})->action,
            ConfigAction::update_masquerade_with_crossdev);
}

TEST(ConfigArgs, GentooInvalidOption) {
  EXPECT_EQ(parse_config_args({"--x"}).error().message, "!!! Error: --x is an invalid option.");
  EXPECT_EQ(parse_config_args({"hosts"}).error().message, "!!! Error: hosts is an invalid option.");
}

TEST(ConfigArgs, WrongValueCounts) {
  EXPECT_EQ(parse_config_args({"--set-hosts"}).error().message,
            "!!! Error: --set-hosts needs a host list.");
  EXPECT_EQ(parse_config_args({"--set-env", "A"}).error().message,
            "!!! Error: --set-env needs a variable name and a value.");
  EXPECT_EQ(parse_config_args({"--get-hosts", "x"}).error().message,
            "!!! Error: --get-hosts takes no value.");
  EXPECT_EQ(parse_config_args({"--set-verbose", "yes"}).error().message,
            "!!! Error: --set-verbose needs 0 or 1.");
}

}  // namespace
}  // namespace dcc
