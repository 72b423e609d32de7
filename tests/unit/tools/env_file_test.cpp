#include "tools/distcc-config/env_file.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

constexpr const char* kGentooDefault =
    "# Gentoo's defaults\n"
    "DISTCC_VERBOSE=\"0\"\n"
    "DISTCC_FALLBACK=\"1\"\n"
    "DISTCC_SSH=\"\"\n";

TEST(EnvFile, GetStripsQuotes) {
  EXPECT_EQ(env_file_get(kGentooDefault, "DISTCC_VERBOSE"), "0");
  EXPECT_EQ(env_file_get(kGentooDefault, "DISTCC_SSH"), "");
  EXPECT_EQ(env_file_get(kGentooDefault, "DISTCC_LOG"), std::nullopt);
  EXPECT_EQ(env_file_get(kGentooDefault, "DISTCC"), std::nullopt);  // a prefix is not a match
}

TEST(EnvFile, GetLastLineWinsAndUnescapes) {
  EXPECT_EQ(env_file_get("A=1\n  export A='two words'\n", "A"), "two words");
  EXPECT_EQ(env_file_get("A=\"x\\\"y\\$z\"\n", "A"), "x\"y$z");
  EXPECT_EQ(env_file_get("A=plain\r\n", "A"), "plain");
}

TEST(EnvFile, SetReplacesInPlaceAndKeepsTheRest) {
  auto out = env_file_set(kGentooDefault, "DISTCC_VERBOSE", "1");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "# Gentoo's defaults\n"
            "DISTCC_VERBOSE=\"1\"\n"
            "DISTCC_FALLBACK=\"1\"\n"
            "DISTCC_SSH=\"\"\n");
}

TEST(EnvFile, SetAppendsNewVariableAndDropsDuplicates) {
  EXPECT_EQ(*env_file_set("", "DISTCC_LOG", "/var/log/distcc.log"),
            "DISTCC_LOG=\"/var/log/distcc.log\"\n");
  EXPECT_EQ(*env_file_set("A=1\nB=2\nA=3", "A", "x"), "A=\"x\"\nB=2\n");
}

TEST(EnvFile, SetEscapesShellSpecials) {
  auto out = env_file_set("", "V", "a\"b$c`d\\e");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "V=\"a\\\"b\\$c\\`d\\\\e\"\n");
  EXPECT_EQ(env_file_get(*out, "V"), "a\"b$c`d\\e");
}

TEST(EnvFile, SetRejectsBadInput) {
  EXPECT_EQ(env_file_set("", "1ABC", "x").error().message, "invalid variable name \"1ABC\"");
  EXPECT_FALSE(env_file_set("", "A-B", "x"));
  EXPECT_FALSE(env_file_set("", "", "x"));
  EXPECT_EQ(env_file_set("", "A", "x\ny").error().message, "the value of A contains a newline");
}

}  // namespace
}  // namespace dcc
