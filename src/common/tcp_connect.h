// Connecting to a TCP server with a timeout, trying each resolved address in turn.
#pragma once

#include <string>

#include "common/fd_io.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace dcc {

// The returned socket is non-blocking, close-on-exec, with TCP_NODELAY.
Result<UniqueFd> connect_tcp(const std::string& host, int port, Millis timeout);

}  // namespace dcc
