// The filesystem side of the masquerade update: what compilers the machine has and what is
// already in the masquerade directory. Everything is read under a root prefix so tests and
// staging trees never touch the real /usr.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "tools/update-distcc-symlinks/masquerade_names.h"

namespace dcc {

// Joins root ("" or "/" for the real system) and an absolute path.
std::string under_root(const std::string& root, const std::string& path);

// Reads ROOT/usr/lib/gcc/*/*, ROOT/usr/lib/gcc-cross/*/*, ROOT/usr/lib/*/gcc/*/* (version
// entries that are directories, not symlinks, as Debian does), ROOT/usr/lib/llvm-* and the
// executables in bin_dir. Missing gcc/llvm directories just contribute nothing; an unreadable
// bin_dir is an error because then every link would look stale.
Result<CompilerInputs> scan_compilers(const std::string& root, const std::string& bin_dir);

struct LinkEntry {
  std::string name;
  bool is_symlink = false;
  std::string target;     // the link text (symlinks only)
  bool dangling = false;  // the target does not exist (absolute targets are looked up under root)
  bool to_directory = false;  // resolves to a directory: Portage's compat link bin -> .
};

// Every entry of the masquerade directory; a missing directory is an empty list.
Result<std::vector<LinkEntry>> read_masquerade_dir(const std::string& root, const std::string& dir);

}  // namespace dcc
