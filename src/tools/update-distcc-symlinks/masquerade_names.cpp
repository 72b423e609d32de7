#include "tools/update-distcc-symlinks/masquerade_names.h"

#include <regex>

namespace dcc {
namespace {

// Debian's clang pattern; kept as a regex so it reads the same as the rule it mirrors.
bool is_clang_name(const std::string& name) {
  static const std::regex pattern(R"(^(llvm-)?clang(\+\+)?(-[0-9.]+)?$)");
  return std::regex_match(name, pattern);
}

void add_gcc_pair(std::set<std::string>& out, const std::string& prefix,
                  const std::string& suffix) {
  out.insert(prefix + "gcc" + suffix);
  out.insert(prefix + "g++" + suffix);
}

std::set<std::string> candidates(const CompilerInputs& inputs) {
  std::set<std::string> out = {"cc", "c++", "c89", "c99", "nvcc", "clang", "clang++"};
  add_gcc_pair(out, "", "");
  add_gcc_pair(out, "c89-", "");
  add_gcc_pair(out, "c99-", "");
  for (const auto& target : inputs.gcc_targets) {
    add_gcc_pair(out, target.triple + "-", "");
    for (const auto& version : target.versions) {
      add_gcc_pair(out, "", "-" + version);
      add_gcc_pair(out, target.triple + "-", "-" + version);
    }
  }
  for (const auto& dir : inputs.llvm_dirs) {
    if (dir.rfind("llvm-", 0) != 0 || dir.size() == 5) continue;
    std::string version = dir.substr(5);
    out.insert("clang-" + version);
    out.insert("clang++-" + version);
  }
  return out;
}

}  // namespace

std::set<std::string> masquerade_names(const CompilerInputs& inputs) {
  std::set<std::string> names;
  for (const auto& name : candidates(inputs)) {
    if (inputs.bin_executables.count(name)) names.insert(name);
  }
  for (const auto& name : inputs.bin_executables) {
    if (is_clang_name(name)) names.insert(name);
  }
  return names;
}

std::set<std::string> triple_prefixed_names(const std::set<std::string>& names,
                                            const std::vector<GccTarget>& targets) {
  std::set<std::string> out;
  for (const auto& name : names) {
    for (const auto& target : targets) {
      if (name.rfind(target.triple + "-", 0) == 0) out.insert(name);
    }
  }
  return out;
}

}  // namespace dcc
