// The include search chain of one compile, as gcc builds it: quote-only directories (-iquote),
// then -I, -isystem, the compiler's default directories and -idirafter. A pure function of the
// compile command, the default directories and the working directory; every entry is absolute.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "pump/compile_command.h"

namespace dcc::pump {

struct SearchPath {
  std::vector<std::string> dirs;          // absolute, no trailing '/'
  std::vector<bool> is_default;           // per dir: one of the compiler's own (not sent)
  std::size_t angle_start = 0;            // <...> searches start here; "..." at 0
  bool search_includer_dir = true;        // false with -I-
  std::vector<std::string> default_dirs;  // lexically normalized, for "is this a system header"

  // Identifies the chain for memoization: equal keys search identically.
  std::string key() const;
};

// `cwd` is absolute. Relative directories become cwd + "/" + dir (not normalized: the compiler
// opens them that way, through any symlink). A user -I naming a default directory is dropped, as
// gcc does, so #include_next in system headers keeps working.
SearchPath build_search_path(const CompileCommand& cmd,
                             const std::vector<std::string>& default_dirs, const std::string& cwd);

// cwd + "/" + path unless path is absolute; trailing slashes removed.
std::string absolute_path(const std::string& path, const std::string& cwd);

}  // namespace dcc::pump
