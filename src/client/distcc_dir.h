// $DISTCC_DIR and its subdirectories (lock/, state/), created on first use like 3.4 does for
// ~/.distcc. Portage points DISTCC_DIR at /var/tmp/portage/.distcc and runs us as the portage
// user, so a missing directory is created (with its parents) honouring the umask, never
// world-writable on its own account.
#pragma once

#include <string>

#include "common/result.h"

namespace dcc {

// Returns distcc_dir + "/" + name, creating what is missing. The error names the directory.
Result<std::string> ensure_distcc_subdir(const std::string& distcc_dir, const std::string& name);

}  // namespace dcc
