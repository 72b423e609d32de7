// Carries out a LinkPlan. Each link is made under a temporary name in the same directory and
// renamed into place, so a compiler name in the masquerade directory is always either absent or a
// complete link, even to a daemon checking it at that moment.
#pragma once

#include <ostream>
#include <string>

#include "common/result.h"
#include "tools/update-distcc-symlinks/link_plan.h"

namespace dcc {

// Creates `dir` (with parents) if it is missing.
Status ensure_directory(const std::string& dir);

// Makes dir/name a symlink to `target` atomically (symlink to a temporary name, rename).
Status replace_with_symlink(const std::string& dir, const std::string& name,
                            const std::string& target);

// Removes plan.remove, then creates plan.create, stopping at the first failure. With `verbose`,
// one "Removing DIR/NAME" / "Adding DIR/NAME" line per change (Debian's wording).
Status apply_plan(const LinkPlan& plan, const std::string& dir, const std::string& target,
                  std::ostream* verbose);

}  // namespace dcc
