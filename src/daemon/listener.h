// The standalone daemon: listening sockets, the accept loop that forks one process per allowed
// connection (at most `jobs` at once), the stats page, and signal handling through a signalfd.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/logger.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "daemon/access_rules.h"
#include "daemon/job_runner.h"

namespace dcc {

struct ListenerConfig {
  std::vector<std::string> listen_addresses;  // empty: every address, IPv4 and IPv6
  int port = 3632;
  std::optional<int> stats_port;               // set when --stats
  std::vector<AllowRule> allow;
  int jobs = 4;
  std::chrono::seconds lifetime{0};
  bool no_fork = false;
  std::string argv0 = "distccd";
};

struct BoundSockets {
  std::vector<UniqueFd> fds;
  int port = 0;  // the real port (differs from the request when it was 0)
};
Result<BoundSockets> bind_listeners(const std::vector<std::string>& addresses, int port);

// Runs until a terminating signal or the lifetime ends. Returns the process exit code.
int run_listener(BoundSockets jobs_sockets, std::optional<BoundSockets> stats_sockets, const ListenerConfig& config,
                 const JobConfig& job_config, Logger& log);

}  // namespace dcc
