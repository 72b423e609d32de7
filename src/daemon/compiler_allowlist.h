// Which compilers distccd will run (CVE-2004-2687 mitigation, distcc 3.4 §4.4 rules).
//
// A client names the compiler; the daemon runs it only if a same-named executable exists in one of
// the masquerade directories (normally symlinks to distcc made by update-distcc-symlinks), or the
// name matches an entry of DISTCC_CMDLIST. The compiler is then run by name from the daemon's PATH,
// exactly as 3.4 does, so a mixed farm behaves the same.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dcc {

struct CompilerAllowlist {
  std::vector<std::string> masquerade_dirs;  // e.g. {"/usr/local/lib/distcc", "/usr/lib/distcc"}
  std::vector<std::string> cmdlist;          // DISTCC_CMDLIST entries (absolute paths); empty = unused
  bool cmdlist_set = false;                  // DISTCC_CMDLIST given: only its entries, even if none
  int cmdlist_numwords = 1;                  // DISTCC_CMDLIST_NUMWORDS
  bool insecure = false;                     // --enable-tcp-insecure: any name without '/' allowed
};

// `is_executable(path)` is is_allowlisted_program (daemon_setup.h: an executable regular file, so
// Portage's directory link /usr/lib/distcc/bin is no compiler) in production, a fake in tests.
// Returns the command to run (maybe rewritten by DISTCC_CMDLIST) or why the name is refused.
Result<std::string> check_compiler(std::string_view requested, const CompilerAllowlist& allowlist,
                                   const std::function<bool(const std::string&)>& is_executable);

}  // namespace dcc
