// Carries out one distcc-config command against the files named by ConfigPaths. Every file is
// replaced atomically (written beside it, renamed), so a compile reading the hosts file at that
// moment sees the old list or the new one.
#pragma once

#include <ostream>

#include "tools/distcc-config/config_args.h"
#include "tools/distcc-config/config_paths.h"

namespace dcc {

// Returns the exit code: 0, or 1 after one error line on `err`.
int run_config_command(const ConfigCommand& command, const ConfigContext& context,
                       std::ostream& out, std::ostream& err);

}  // namespace dcc
