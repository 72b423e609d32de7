// lsdistcc's main loop: looks names up as the LookupPlan allows, probes every host that
// resolves, and prints each listed host as soon as its probe ends (so the fastest come first).
#pragma once

#include <iosfwd>
#include <string>

#include "tools/lsdistcc/options.h"

namespace dcc::lsdistcc {

// Returns the exit status: 0 if at least one host is up, else 1. `domain` is used with -d.
// Output lines go to `out` (flushed per line), -v diagnostics and errors to `err`.
int scan(const Options& options, const std::string& domain, std::ostream& out, std::ostream& err);

}  // namespace dcc::lsdistcc
