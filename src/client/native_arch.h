// Resolving -march=native / -mtune=native / -mcpu=native on the client.
//
// distcc 3.4 forces such jobs to run locally, because "native" means the CPU of whichever machine
// runs the compiler. We instead ask the LOCAL compiler what native means (`<cc> -### ...` prints
// the command line it would give to cc1 / clang -cc1) and replace the native flags with the
// explicit ones, so a remote compile produces the same object as a local `-march=native` one.
//
// The work is split into pure parsers (tested on captured `-###` texts) and a thin runner that
// calls the compiler through a callback. Every failure is an Error with ExitCode::distcc_failed
// and a one-line message; the caller then runs the job locally and logs why.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dcc {

// True if any argument is exactly -march=native, -mtune=native or -mcpu=native.
bool uses_native_cpu(std::span<const std::string> argv);

// Pure: given the compiler's `-###` stderr, the explicit flags that replace the native ones.
//
// gcc: the first contiguous run of target options on the cc1/cc1plus line. On x86 that run is
// exactly what the driver's cc1_cpu spec expanded the native flags into (`-march=<cpu>`, the
// `-m<feature>`/`-mno-<feature>` list, the cache `--param`s and `-mtune=<cpu>`); the user's own
// -m options and the driver's defaults come later, after `-quiet`. `--param name=value` pairs are
// returned in the driver-accepted form `--param=name=value`. cc1-only options are never returned.
//
// clang: the whole target of the `-cc1` line: `-target-cpu X` -> `-march=X`, `-tune-cpu X` ->
// `-mtune=X`, `-target-feature +f/-f` -> `-mf`/`-mno-f`, in the same order. The few features
// with no driver flag (64bit, cx8, cmov) are passed as `-Xclang -target-feature -Xclang ±f` at
// the end; the driver cannot toggle them, so their position does not matter.
//
// Quoting follows the drivers: gcc double-quotes an argument when it holds characters outside
// [A-Za-z0-9_/.-], clang quotes every argument; inside quotes `\` escapes the next character.
Result<std::vector<std::string>> parse_native_flags(std::string_view dash_dash_dash_output,
                                                    bool is_clang);

// Pure: for clang, checks that the translated flags mean exactly what the native ones meant:
// the `-cc1` line printed for the native flags and the one printed for the translation must be
// identical once the -Xclang features are set aside (and those must match among themselves).
Status check_clang_translation(std::string_view native_output, std::string_view translated_output);

// Runs a command to completion and captures its output.
struct CommandOutput {
  int exit_status;  // the exit code, or 128 + signal number
  std::string out;
  std::string err;
};
using RunCommand = std::function<Result<CommandOutput>(const std::vector<std::string>& argv)>;

// Runs `<argv[0]> -### <the -m options and -target of argv> -x c -c /dev/null -o /dev/null`
// through `run` and returns argv with every native flag removed and the explicit flags inserted
// right after argv[0] (gcc and clang both apply the native expansion before the user's own -m
// options, so that is the position with the same meaning). For clang the translation is then
// checked with a second `-###` run. argv without native flags is returned unchanged.
Result<std::vector<std::string>> resolve_native_cpu(std::span<const std::string> argv,
                                                    const RunCommand& run);

}  // namespace dcc
