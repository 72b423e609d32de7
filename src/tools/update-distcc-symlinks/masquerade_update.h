// The whole masquerade update (scan, decide, apply), shared by update-distcc-symlinks and
// distcc-config --update-masquerade.
#pragma once

#include <ostream>
#include <string>

#include "common/result.h"
#include "tools/update-distcc-symlinks/link_plan.h"

namespace dcc {

struct MasqueradeRequest {
  std::string root = "/";                          // compilers are looked for under it
  std::string masquerade_dir = "/usr/lib/distcc";  // already root-prefixed
  std::string bin_dir = "/usr/bin";                // already root-prefixed
  std::string link_target = "../../bin/distcc";    // written verbatim into each link
  bool crossdev_only = false;                      // only <triple>-prefixed names
};

// Returns what was changed.
Result<LinkPlan> update_masquerade(const MasqueradeRequest& request, std::ostream* verbose);

}  // namespace dcc
