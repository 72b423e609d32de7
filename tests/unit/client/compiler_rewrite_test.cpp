// compiler_rewrite: the §1.2 rules against a fake machine. The default machine mirrors this
// project's Debian 12 reference box, where the installed distcc 3.4 logs, for
// `DISTCC_VERBOSE=1 DISTCC_HOSTS= distcc <cc> -c hello.c`:
//   cc      -> "Rewriting 'cc' to 'gcc'", then "Re-writing call to 'gcc' to 'x86_64-linux-gnu-gcc'"
//   c++     -> g++ -> x86_64-linux-gnu-g++;   gcc-12 -> x86_64-linux-gnu-gcc-12
//   clang   -> clang -c hello.c -o h.o -target x86_64-pc-linux-gnu  (we use -dumpmachine's triple)
//   /usr/bin/gcc -> unchanged
#include "client/compiler_rewrite.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace dcc {
namespace {

using Links = std::map<std::string, std::string>;

// /usr/bin/cc -> /etc/alternatives/cc -> /usr/bin/gcc -> gcc-12, and the same for c++.
const Links& debian_links() {
  static const Links links = {
      {"/usr/bin/cc", "/etc/alternatives/cc"},
      {"/etc/alternatives/cc", "/usr/bin/gcc"},
      {"/usr/bin/c++", "/etc/alternatives/c++"},
      {"/etc/alternatives/c++", "/usr/bin/g++"},
      {"/usr/bin/gcc", "gcc-12"},
      {"/usr/bin/g++", "g++-12"},
      {"/usr/bin/clang", "../lib/llvm-14/bin/clang"},
  };
  return links;
}

// Executables on the fake PATH, by name. /usr/lib/distcc is not there: find_on_path skips it.
const std::map<std::string, std::string>& path_programs() {
  static const std::map<std::string, std::string> programs = {
      {"cc", "/usr/bin/cc"},
      {"c++", "/usr/bin/c++"},
      {"gcc", "/usr/bin/gcc"},
      {"g++", "/usr/bin/g++"},
      {"gcc-12", "/usr/bin/gcc-12"},
      {"g++-12", "/usr/bin/g++-12"},
      {"clang", "/usr/bin/clang"},
      {"x86_64-linux-gnu-gcc", "/usr/bin/x86_64-linux-gnu-gcc"},
      {"x86_64-linux-gnu-g++", "/usr/bin/x86_64-linux-gnu-g++"},
      {"x86_64-linux-gnu-gcc-12", "/usr/bin/x86_64-linux-gnu-gcc-12"},
      {"aarch64-linux-gnu-gcc", "/usr/bin/aarch64-linux-gnu-gcc"},
  };
  return programs;
}

std::vector<std::string> words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> result;
  for (std::string word; in >> word;) result.push_back(word);
  return result;
}

struct Case {
  std::string_view name;
  std::string_view command;
  std::string_view expected;
  Links links = debian_links();
  std::string gnu_host = "x86_64-linux-gnu";
  bool disabled = false;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.command << " -> " << c.expected; }

Links with(Links links, const Links& changes) {
  for (const auto& [from, to] : changes) links[from] = to;
  return links;
}

class RewriteCompiler : public testing::TestWithParam<Case> {};

TEST_P(RewriteCompiler, Rewrites) {
  const Case& c = GetParam();
  RewriteEnv env;
  env.find_on_path = [](const std::string& name) -> std::optional<std::string> {
    const auto found = path_programs().find(name);
    if (found == path_programs().end()) return std::nullopt;
    return found->second;
  };
  env.read_symlink = [&c](const std::string& path) -> std::optional<std::string> {
    const auto found = c.links.find(path);
    if (found == c.links.end()) return std::nullopt;
    return found->second;
  };
  env.gnu_host = c.gnu_host;
  env.disabled = c.disabled;
  EXPECT_EQ(rewrite_compiler(words(c.command), env), words(c.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RewriteCompiler,
    testing::Values(
        // cc / c++ through /etc/alternatives, then the triple (what 3.4 logs on Debian).
        Case{"cc", "cc -c hello.c", "x86_64-linux-gnu-gcc -c hello.c"},
        Case{"cxx", "c++ -c a.cpp -o a.o", "x86_64-linux-gnu-g++ -c a.cpp -o a.o"},
        Case{"cc_to_clang", "cc -c a.c", "clang -c a.c -target x86_64-linux-gnu",
             with(debian_links(), {{"/etc/alternatives/cc", "/usr/bin/clang"}})},
        Case{"cxx_to_clangxx", "c++ -c a.cpp", "clang++ -c a.cpp -target x86_64-linux-gnu",
             with(debian_links(), {{"/etc/alternatives/c++", "/usr/bin/clang++"}})},
        Case{"cc_relative_link", "cc -c a.c", "x86_64-linux-gnu-gcc -c a.c",
             with(debian_links(), {{"/usr/bin/cc", "gcc"}})},
        Case{"cc_relative_into_alternatives", "cc -c a.c", "clang -c a.c -target x86_64-linux-gnu",
             with(debian_links(), {{"/usr/bin/cc", "../../etc/alternatives/cc"},
                                   {"/etc/alternatives/cc", "/usr/bin/clang"}})},
        Case{"cc_nested_alternatives", "cc -c a.c", "x86_64-linux-gnu-gcc -c a.c",
             with(debian_links(), {{"/etc/alternatives/cc", "/etc/alternatives/gcc"},
                                   {"/etc/alternatives/gcc", "/usr/bin/gcc"}})},
        // Only the exact names count, as in 3.4.
        Case{"cc_to_versioned_clang", "cc -c a.c", "cc -c a.c",
             with(debian_links(), {{"/etc/alternatives/cc", "/usr/bin/clang-14"}})},
        Case{"cc_to_gxx", "cc -c a.c", "cc -c a.c",
             with(debian_links(), {{"/etc/alternatives/cc", "/usr/bin/g++"}})},
        Case{"cxx_to_gcc", "c++ -c a.cpp", "c++ -c a.cpp",
             with(debian_links(), {{"/etc/alternatives/c++", "/usr/bin/gcc"}})},
        Case{"cc_not_a_link", "cc -c a.c", "cc -c a.c", Links{}},
        Case{"cc_alternatives_loop", "cc -c a.c", "cc -c a.c",
             with(debian_links(), {{"/etc/alternatives/cc", "/etc/alternatives/cc"}})},
        Case{"cc_absolute", "/usr/bin/cc -c a.c", "/usr/bin/cc -c a.c"},
        Case{"cc_relative_path", "./cc -c a.c", "./cc -c a.c"},
        // gcc family: <triple>-<name> only if that is on PATH.
        Case{"gcc", "gcc -O2 -c a.c", "x86_64-linux-gnu-gcc -O2 -c a.c"},
        Case{"gxx", "g++ -c a.cpp", "x86_64-linux-gnu-g++ -c a.cpp"},
        Case{"gcc_versioned", "gcc-12 -c a.c", "x86_64-linux-gnu-gcc-12 -c a.c"},
        Case{"gxx_versioned_not_on_path", "g++-12 -c a.cpp", "g++-12 -c a.cpp"},
        Case{"gcc_other_host", "gcc -c a.c", "aarch64-linux-gnu-gcc -c a.c", debian_links(),
             "aarch64-linux-gnu"},
        Case{"gcc_host_not_installed", "gcc -c a.c", "gcc -c a.c", debian_links(),
             "riscv64-linux-gnu"},
        Case{"gcc_absolute", "/usr/bin/gcc -c a.c", "/usr/bin/gcc -c a.c"},
        Case{"gcc_already_qualified", "x86_64-linux-gnu-gcc -c a.c", "x86_64-linux-gnu-gcc -c a.c"},
        Case{"gccgo_is_not_gcc", "gccgo -c a.go", "gccgo -c a.go"},
        // clang family: -target appended unless a target is given either way.
        Case{"clang", "clang -c a.c", "clang -c a.c -target x86_64-linux-gnu"},
        Case{"clang_versioned", "clang-14 -c a.c", "clang-14 -c a.c -target x86_64-linux-gnu"},
        Case{"clangxx", "clang++ -c a.cpp", "clang++ -c a.cpp -target x86_64-linux-gnu"},
        Case{"clangxx_versioned", "clang++-14 -c a.cpp",
             "clang++-14 -c a.cpp -target x86_64-linux-gnu"},
        Case{"clang_with_target", "clang -target aarch64-linux-gnu -c a.c",
             "clang -target aarch64-linux-gnu -c a.c"},
        Case{"clang_with_long_target", "clang --target=aarch64-linux-gnu -c a.c",
             "clang --target=aarch64-linux-gnu -c a.c"},
        Case{"clang_absolute", "/usr/bin/clang -c a.c", "/usr/bin/clang -c a.c"},
        Case{"clangd_is_not_clang", "clangd --check=a.c", "clangd --check=a.c"},
        // Switches.
        Case{"disabled", "cc -c a.c", "cc -c a.c", debian_links(), "x86_64-linux-gnu", true},
        Case{"disabled_clang", "clang -c a.c", "clang -c a.c", debian_links(), "x86_64-linux-gnu",
             true},
        Case{"no_host_still_resolves_cc", "cc -c a.c", "gcc -c a.c", debian_links(), ""},
        Case{"no_host_leaves_clang", "clang -c a.c", "clang -c a.c", debian_links(), ""},
        Case{"empty_argv", "", ""}, Case{"other_compiler", "icc -c a.c", "icc -c a.c"}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(RewriteCompiler, LooksUpOnlyWhatItNeeds) {
  std::vector<std::string> looked_up;
  RewriteEnv env;
  env.find_on_path = [&looked_up](const std::string& name) -> std::optional<std::string> {
    looked_up.push_back(name);
    return std::nullopt;
  };
  env.read_symlink = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.gnu_host = "x86_64-linux-gnu";
  EXPECT_EQ(rewrite_compiler(words("clang -c a.c"), env),
            words("clang -c a.c -target x86_64-linux-gnu"));
  EXPECT_EQ(rewrite_compiler(words("g++ -c a.cpp"), env), words("g++ -c a.cpp"));
  EXPECT_EQ(looked_up, words("x86_64-linux-gnu-g++"));
}

}  // namespace
}  // namespace dcc
