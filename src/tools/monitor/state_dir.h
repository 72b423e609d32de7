// Where the clients of this user keep their state files: $DISTCC_DIR/state, or
// $HOME/.distcc/state, resolved exactly as the client does (src/client/client_config.cpp), so a
// monitor run with the build's environment looks where the build writes.
#pragma once

#include <string>

#include "common/environment.h"

namespace dcc::monitor {

std::string state_dir_from_env(const Environment& env);

}  // namespace dcc::monitor
