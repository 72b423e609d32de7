// Compiler-name rewriting (distcc 3.4 compile.c:465-632, facts §1.2). It runs on every
// invocation, local ones included, before the job is classified:
//   1. `cc` / `c++` found on PATH as a symlink (through /etc/alternatives) to gcc or clang
//      (g++ or clang++) is replaced by that name, so the rules below apply to it;
//   2. `clang`, `clang-*`, `clang++`, `clang++-*` without -target / --target= get
//      `-target <triple>` appended, so a server of another architecture builds for ours;
//   3. `gcc`, `gcc-*`, `g++`, `g++-*` become `<triple>-<name>` if that name is on PATH.
// Names with a '/' (absolute or relative paths) are never rewritten.
//
// The decision is pure: everything it needs from the machine comes in a RewriteEnv.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dcc {

struct RewriteEnv {
  // Absolute path of an executable named `name` on PATH, skipping directories whose path
  // contains "distcc"; nullopt if there is none.
  std::function<std::optional<std::string>(const std::string& name)> find_on_path;
  // The target of the symlink at `path` (as readlink returns it), or nullopt if not a symlink.
  std::function<std::optional<std::string>(const std::string& path)> read_symlink;
  // The triple for rules 2 and 3, e.g. from `gcc -dumpmachine` ("x86_64-linux-gnu"). Empty
  // turns those two rules off.
  std::string gnu_host;
  bool disabled = false;  // DISTCC_NO_REWRITE_CROSS is set: no rewriting at all
};

// argv with argv[0] rewritten and/or `-target <triple>` appended as described above.
std::vector<std::string> rewrite_compiler(std::vector<std::string> argv, const RewriteEnv& env);

}  // namespace dcc
