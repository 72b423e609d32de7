// Which compiler names get a masquerade link: a pure function of what the machine has, so the
// rules (Debian's update-distcc-symlinks plus upstream's c89/c99) are tested without a filesystem.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace dcc {

// One target directory under /usr/lib/gcc, /usr/lib/gcc-cross or /usr/lib/<multiarch>/gcc:
// its name (the triple, "x86_64-linux-gnu") and the version directories in it ("12").
struct GccTarget {
  std::string triple;
  std::vector<std::string> versions;
};

struct CompilerInputs {
  std::vector<GccTarget> gcc_targets;
  std::vector<std::string> llvm_dirs;     // names in /usr/lib matching llvm-*: "llvm-14"
  std::set<std::string> bin_executables;  // names of executables in /usr/bin
};

// Every candidate compiler name that is also an executable in the bin directory:
//   cc c++ c89 c99 gcc g++ c89-gcc c99-gcc (and their g++ forms), nvcc,
//   <triple>-gcc/g++, gcc/g++-<ver>, <triple>-gcc/g++-<ver>,
//   clang clang++ and clang/clang++-<ver> for each llvm-<ver>,
//   and any executable matching ^(llvm-)?clang(\+\+)?(-[0-9.]+)?$ (Debian's rule).
std::set<std::string> masquerade_names(const CompilerInputs& inputs);

// Only the names that start with "<triple>-" for a known gcc target (Gentoo's
// --update-masquerade-with-crossdev).
std::set<std::string> triple_prefixed_names(const std::set<std::string>& names,
                                            const std::vector<GccTarget>& targets);

}  // namespace dcc
