// How distcc was called: explicit (`distcc gcc -c x.c`), implicit (`distcc -c x.c`) or masquerade
// (a `gcc` symlink to distcc), and distcc's own options. Pure decisions; file system questions
// are asked through callbacks.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dcc {

enum class DistccCommand { help, version, show_hosts, total_slots };

enum class InvocationMode { explicit_compiler, implicit_compiler, masquerade };

struct CompilerInvocation {
  InvocationMode mode;
  std::vector<std::string> argv;  // argv[0] is the compiler to run
};

// `distcc --scan-includes COMPILE-COMMAND`: print what pump mode would send, compile nothing.
struct ScanIncludes {
  std::vector<std::string> argv;  // the compile command, argv[0] the compiler ("cc" if omitted)
};

struct UsageError {
  std::string message;
};

using Invocation = std::variant<CompilerInvocation, DistccCommand, ScanIncludes, UsageError>;

// `argv` is our own command line, argv[0] as the shell passed it.
Invocation parse_invocation(const std::vector<std::string>& argv);

// Masquerade PATH trimming (distcc 3.4 climasq.c): returns the PATH that follows the directory we
// were found in, so the real compiler is found next; nullopt when no PATH entry matched.
// `absolute_dir` is the absolute directory of argv[0] when argv[0] contains '/'.
std::optional<std::string> trim_masquerade_path(const std::string& argv0, const std::string& path,
                                                const std::optional<std::string>& absolute_dir,
                                                const std::function<bool(const std::string&)>& is_executable);

}  // namespace dcc
