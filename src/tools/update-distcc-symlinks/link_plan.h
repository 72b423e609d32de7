// What to change in the masquerade directory, decided without touching it.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "tools/update-distcc-symlinks/masquerade_scan.h"

namespace dcc {

struct LinkPlan {
  std::vector<std::string> remove;  // sorted
  std::vector<std::string> create;  // sorted
};

struct PlanRules {
  // Also remove links to distcc whose compiler still exists but is not wanted (Gentoo's
  // --update-masquerade-with-crossdev keeps only the triple-prefixed names).
  bool prune_unwanted = false;
};

// A link "points to distcc" when its target's last component is "distcc" (../../bin/distcc,
// /usr/bin/distcc, /usr/local/bin/distcc). Removed: dangling links, and links to distcc whose
// compiler is no longer an executable in the bin directory; links to directories (Portage's
// bin -> .) are kept. Created: every wanted name that has no
// entry left. Regular files and links to anything else are never touched: an administrator put
// them there.
LinkPlan plan_links(const std::vector<LinkEntry>& existing, const std::set<std::string>& wanted,
                    const std::set<std::string>& bin_executables, PlanRules rules = {});

bool points_to_distcc(const std::string& link_target);

}  // namespace dcc
