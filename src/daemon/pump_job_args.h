// The command line of a protocol 3 (pump mode) job as the server runs it inside its mirror root,
// (the dependency file it writes is turned back into the client's view by dotd_rewrite.h).
// Pure functions.
//
// As distcc 3.4 (tweak_arguments_for_server, dcc_cleanup_dotd): absolute paths of include
// options and the source get the root in front (relative ones work because the compiler runs in
// <root><client cwd>), -o names the job's temporary object, and a .d file is always written to a
// temporary name, then cleaned of the root and the temporary object name.
// Beyond 3.4: -ffile-prefix-map=<root>= makes the compiler record the client's paths in debug
// info and __FILE__ (3.4 patches .debug_info/.debug_str afterwards, which misses DWARF 5's
// .debug_line_str and leaves "////..." paths), so objects equal a local compile's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcc {

struct PumpServerCommand {
  std::vector<std::string> argv;
  std::string dotd_target;  // what the temporary object's name becomes in the .d file
};

// `client_argv[0]` is the compiler (replaced by the caller); `input` is the source argument as the
// client wrote it (classify() found it); the paths are the server's.
PumpServerCommand pump_server_command(const std::vector<std::string>& client_argv, const std::string& input,
                                      const std::string& root, const std::string& object_path,
                                      const std::string& deps_path);

// `name` quoted for a make rule target, as GCC quotes -MQ targets ('$' -> "$$", blanks and '#'
// escaped with a backslash).
std::string make_quoted(std::string_view name);

}  // namespace dcc
