// distccd's command line (distcc 3.4 dopt.c, without zeroconf and GSS-API), parsed into a value.
// Pure: nothing here looks at stdin, the environment or the CPU count; main() fills in the
// defaults that need those (mode from stdin, jobs = ncpus + 2, --allow-private when no --allow).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace dcc {

inline constexpr int kDefaultDaemonPort = 3632;
inline constexpr int kDefaultStatsPort = 3633;
inline constexpr int kMaxDaemonJobs = 1024;

struct DaemonOptions {
  enum class Mode { unspecified, daemon, inetd };
  Mode mode = Mode::unspecified;  // unspecified: inetd if stdin is a socket, else daemon
  bool no_detach = false;
  bool no_fork = false;

  int port = kDefaultDaemonPort;  // 0 = let the kernel pick (tests)
  std::optional<int> stats_port;  // unset = kDefaultStatsPort
  bool stats = false;
  std::vector<std::string> listen_addresses;  // --listen, repeatable; empty = every address

  std::vector<std::string> allow;  // --allow rules as given; each parses with parse_allow_rule
  bool allow_private = false;
  int jobs = 0;  // 0 = ncpus + 2, decided by main
  int nice = 5;

  std::optional<std::string> log_file;
  std::optional<std::string> pid_file;
  std::optional<std::string> user;
  std::string log_level = "notice";  // critical, error, warning, notice, info, debug
  bool log_stderr = false;

  std::chrono::seconds job_lifetime{0};  // 0 = no limit
  std::chrono::seconds lifetime{0};      // 0 = run until killed
  bool enable_tcp_insecure = false;
  // Pump mode's header cache (our extension), in MiB; 0 = off. Not with --inetd (no shared state).
  int header_cache_mib = 256;

  bool show_help = false;
  bool show_version = false;
};

// Parses distccd's arguments (argv without argv[0]). Long options take "--opt value" or
// "--opt=value"; short ones "-p 4000" or "-p4000". --help and --version stop the parse, as in
// 3.4, so later mistakes do not hide them. Errors are ExitCode::bad_arguments with one line
// naming the option: --jobs: "0" is not in 1-1024
Result<DaemonOptions> parse_daemon_options(std::span<const std::string> args);

// The --help text: every option parse_daemon_options accepts.
std::string daemon_usage_text();

}  // namespace dcc
