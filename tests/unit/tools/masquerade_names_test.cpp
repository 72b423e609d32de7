#include "tools/update-distcc-symlinks/masquerade_names.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

std::set<std::string> debian_machine_bin() {
  return {"cc",
          "c++",
          "c89-gcc",
          "c99-gcc",
          "gcc",
          "g++",
          "gcc-12",
          "g++-12",
          "x86_64-linux-gnu-gcc",
          "x86_64-linux-gnu-gcc-12",
          "x86_64-linux-gnu-g++",
          "x86_64-linux-gnu-g++-12",
          "clang",
          "clang++",
          "clang-14",
          "clang++-14",
          "clang-cpp-14",
          "ls",
          "make",
          "gcc-ar-12",
          "distcc"};
}

TEST(MasqueradeNames, DebianMachine) {
  CompilerInputs in{{{"x86_64-linux-gnu", {"12"}}}, {"llvm-14"}, debian_machine_bin()};
  std::set<std::string> expected = {"cc",
                                    "c++",
                                    "c89-gcc",
                                    "c99-gcc",
                                    "gcc",
                                    "g++",
                                    "gcc-12",
                                    "g++-12",
                                    "x86_64-linux-gnu-gcc",
                                    "x86_64-linux-gnu-gcc-12",
                                    "x86_64-linux-gnu-g++",
                                    "x86_64-linux-gnu-g++-12",
                                    "clang",
                                    "clang++",
                                    "clang-14",
                                    "clang++-14"};
  EXPECT_EQ(masquerade_names(in), expected);
}

TEST(MasqueradeNames, OnlyExistingExecutablesAreNamed) {
  CompilerInputs in{{{"x86_64-linux-gnu", {"12", "13"}}}, {"llvm-15"}, {"gcc-13", "clang-15"}};
  EXPECT_EQ(masquerade_names(in), (std::set<std::string>{"gcc-13", "clang-15"}));
}

TEST(MasqueradeNames, UpstreamStandardNames) {
  CompilerInputs in{{}, {}, {"c89", "c99", "nvcc", "c89-g++"}};
  EXPECT_EQ(masquerade_names(in), (std::set<std::string>{"c89", "c99", "nvcc", "c89-g++"}));
}

TEST(MasqueradeNames, CrossCompilersAndVersionsPerTriple) {
  CompilerInputs in{{{"aarch64-linux-gnu", {"12"}}, {"arm-linux-gnueabihf", {}}},
                    {},
                    {"aarch64-linux-gnu-gcc-12", "aarch64-linux-gnu-g++", "arm-linux-gnueabihf-gcc",
                     "arm-linux-gnueabihf-gcc-12", "g++-12"}};
  // arm-...-gcc-12 has no version directory under the arm triple, so it is not a candidate;
  // g++-12 comes from the aarch64 version directory.
  EXPECT_EQ(masquerade_names(in),
            (std::set<std::string>{"aarch64-linux-gnu-gcc-12", "aarch64-linux-gnu-g++",
                                   "arm-linux-gnueabihf-gcc", "g++-12"}));
}

TEST(MasqueradeNames, DebianClangPattern) {
  CompilerInputs in{
      {}, {}, {"llvm-clang-16", "clang++-16.0", "clang-format", "clang-tidy-14", "clangd"}};
  EXPECT_EQ(masquerade_names(in), (std::set<std::string>{"llvm-clang-16", "clang++-16.0"}));
}

TEST(MasqueradeNames, LlvmDirectoryWithoutVersionIsIgnored) {
  CompilerInputs in{{}, {"llvm-", "llvm"}, {"clang-"}};
  EXPECT_TRUE(masquerade_names(in).empty());
}

TEST(TriplePrefixedNames, KeepsOnlyKnownTriples) {
  std::set<std::string> names = {"gcc", "cc", "x86_64-pc-linux-gnu-gcc",
                                 "x86_64-pc-linux-gnu-g++-13", "aarch64-unknown-linux-gnu-gcc"};
  std::vector<GccTarget> targets = {{"x86_64-pc-linux-gnu", {"13"}}};
  EXPECT_EQ(triple_prefixed_names(names, targets),
            (std::set<std::string>{"x86_64-pc-linux-gnu-gcc", "x86_64-pc-linux-gnu-g++-13"}));
}

}  // namespace
}  // namespace dcc
