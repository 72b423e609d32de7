// The client's configuration: one value built once in main from an environment snapshot.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "common/environment.h"
#include "common/fd_io.h"
#include "common/result.h"

namespace dcc {


struct ClientConfig {
  std::optional<std::string> hosts_env;  // DISTCC_HOSTS, if set at all (even empty)
  std::string distcc_dir;                // $DISTCC_DIR or $HOME/.distcc
  bool distcc_dir_from_env = false;
  std::string system_hosts_file = "/etc/distcc/hosts";
  std::string tmp_dir = "/tmp";
  std::string path;                      // PATH as we found it
  int safeguard_level = 0;               // _DISTCC_SAFEGUARD
  bool verbose = false;                  // DISTCC_VERBOSE=1
  std::optional<std::string> log_file;   // DISTCC_LOG
  int uncached_err_fd = -1;              // UNCACHED_ERR_FD
  bool fallback = true;                  // DISTCC_FALLBACK
  bool skip_local_retry = false;         // DISTCC_SKIP_LOCAL_RETRY set at all
  bool save_temps = false;               // DISTCC_SAVE_TEMPS=1
  bool no_rewrite_cross = false;         // DISTCC_NO_REWRITE_CROSS set at all
  Millis io_timeout{300'000};            // DISTCC_IO_TIMEOUT
  Millis connect_timeout{4'000};
  std::chrono::seconds backoff_period{60};  // DISTCC_BACKOFF_PERIOD; 0 = no backoff files
  Millis pause_time{1'000};                 // DISTCC_PAUSE_TIME_MSEC: wait when every slot is busy
  // DISTCC_SSH verbatim. It is split into words (shell_words) each time an ssh connection is
  // made, so a malformed value fails that job with a message, not the whole client at start-up.
  std::optional<std::string> ssh_command;
  // Pump mode: the include server's socket (set by pump), or 3.4's test hook naming the files.
  std::optional<std::string> include_server_port;  // INCLUDE_SERVER_PORT
  std::optional<std::string> include_server_stub;  // INCLUDE_SERVER_STUB
  bool header_cache = true;  // DISTCC_HEADER_CACHE=0: never offer headers by hash (our extension)

  static Result<ClientConfig> from_env(const Environment& env);
};

// distcc's boolean variables: exactly "0" or "1"; anything else means the default.
bool env_flag(const Environment& env, const std::string& name, bool fallback);

}  // namespace dcc
