// The per-invocation flow of distcc (3.4's dcc_build_somewhere): decide local or remote, try the
// remote host, and fall back to a local compile on any distribution failure - never on a real
// compile error.
#pragma once

#include <string>
#include <vector>

#include "client/client_config.h"
#include "common/logger.h"

namespace dcc {

// `argv` is distcc's own command line. Returns the process exit code.
int run_distcc(const std::vector<std::string>& argv, const ClientConfig& config, Logger& log);

}  // namespace dcc
