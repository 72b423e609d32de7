// distcc's own options: --help, --version, --show-hosts, -j.
#pragma once

#include "client/client_config.h"
#include "client/invocation.h"
#include "common/logger.h"

namespace dcc {

int run_distcc_command(DistccCommand command, const ClientConfig& config, Logger& log);

}  // namespace dcc
