// Turning parsed options and the environment into the daemon's runtime configuration, and the
// process-level steps of starting up (privileges, detaching, pid file).
#pragma once

#include <map>
#include <string>

#include "common/environment.h"
#include "common/logger.h"
#include "common/result.h"
#include "daemon/daemon_options.h"
#include "daemon/job_runner.h"
#include "daemon/listener.h"

namespace dcc {


struct DaemonRuntime {
  ListenerConfig listener;
  JobConfig job;
  bool inetd = false;
  bool detach = true;
  bool allow_defaulted = false;  // no --allow given: private networks only
};

// The allow-list's test for a masquerade entry: an executable regular file (or a link to one).
// Portage's compat link /usr/lib/distcc/bin -> . is a directory, so "bin" is never a compiler.
bool is_allowlisted_program(const std::string& path);

Result<DaemonRuntime> make_runtime(const DaemonOptions& options, const Environment& env, bool stdin_is_socket);

// Drops root to `user` (or distcc, distccd, nobody) as distcc 3.4 does; no-op when not root.
// `owned_file` (the pid file) is handed to that user first, so the daemon can remove it at exit.
Status drop_privileges(const std::optional<std::string>& user, Logger& log,
                       const std::optional<std::string>& owned_file = std::nullopt);
// Forks into the background, starts a new session, points stdio at /dev/null.
Status detach_from_terminal(bool keep_stderr);
Status write_pid_file(const std::string& path);

}  // namespace dcc
