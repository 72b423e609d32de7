// What include analysis needs from a compile command line: the source, its language, every
// search-path option in order, forced includes and -D/-U, and the options that change the
// compiler's default include directories. Pure: argv in, a value (or the reason to give up) out.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace dcc::pump {

struct CompileCommand {
  std::string compiler;                   // argv[0]
  std::string source;                     // as spelled on the command line
  std::string language;                   // as for -x: c, c++, objective-c, assembler-with-cpp...
  std::vector<std::string> quote_dirs;    // -iquote, and -I before -I-
  std::vector<std::string> include_dirs;  // -I
  std::vector<std::string> isystem_dirs;  // -isystem
  std::vector<std::string> after_dirs;    // -idirafter
  std::vector<std::string> forced_includes;  // -include, in order
  std::vector<std::string> imacros;          // -imacros, in order
  std::vector<std::string> macro_defines;    // -D operands ("NAME", "NAME=VALUE", "F(x)=x")
  std::vector<std::string>
      default_dir_flags;        // -std, -m32, --sysroot, -nostdinc...: asked of the compiler
  bool no_current_dir = false;  // -I-: "" includes do not look beside the includer
};

// The reason is one line suitable for DISTCC_VERBOSE ("pump: -iprefix is not supported").
Result<CompileCommand> parse_compile_command(std::span<const std::string> argv);

// The -x language gcc infers from a source name ("" when it does not preprocess it).
std::string language_of(const std::string& source);

}  // namespace dcc::pump
