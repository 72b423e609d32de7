// update-distcc-symlinks' command line, parsed into a MasqueradeRequest (pure).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "tools/update-distcc-symlinks/masquerade_update.h"

namespace dcc {

struct SymlinksOptions {
  MasqueradeRequest request;
  bool verbose = false;
  bool help = false;
};

// args excludes argv[0]. Options: --root DIR, --masquerade-dir DIR, --bin-dir DIR, --distcc PATH,
// -v/--verbose, -h/--help; "--opt=value" is accepted too. Paths not given default to
// ROOT/usr/lib/distcc and ROOT/usr/bin.
Result<SymlinksOptions> parse_symlinks_options(const std::vector<std::string>& args);

extern const char* const kSymlinksUsage;

}  // namespace dcc
