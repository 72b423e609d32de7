// distccd: parse → configure → serve → exit code.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "common/fd_io.h"
#include "daemon/daemon_setup.h"
#include "daemon/header_cache.h"

namespace {

using namespace dcc;

constexpr const char* kVersion = "distccd 3.4-compatible (distcc-cpp " DCC_VERSION ")\n"
                                 "  (protocols 1, 2 and 3) (default port 3632)\n";

bool is_socket(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

int serve_inetd(const DaemonRuntime& rt, Logger& log) {
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  std::string who = "(pipe)";
  // Over ssh stdin is a pipe: there is no address to check, and ssh has authenticated the user.
  if (::getpeername(0, reinterpret_cast<sockaddr*>(&peer), &len) == 0 && (peer.ss_family == AF_INET || peer.ss_family == AF_INET6)) {
    who = address_to_string(peer);
    if (!is_allowed(rt.listener.allow, peer)) {
      log.warning("connection from client " + who + " denied by access list");
      return to_int(ExitCode::access_denied);
    }
  }
  ProcessCompilerRunner runner;
  JobOutcome outcome = serve_job(0, 1, who, rt.job, runner, log);
  return outcome.result == JobResult::compile_ok || outcome.result == JobResult::compile_error ? 0 : to_int(ExitCode::distcc_failed);
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto options = parse_daemon_options(args);
  if (!options) {
    std::cerr << "distccd: " << options.error().message << "\n";
    return to_int(ExitCode::bad_arguments);
  }
  if (options->show_help) {
    std::cout << daemon_usage_text();
    return 0;
  }
  if (options->show_version) {
    std::cout << kVersion;
    return 0;
  }
  auto rt = make_runtime(*options, snapshot_environment(), is_socket(0));
  if (!rt) {
    std::cerr << "distccd: " << rt.error().message << "\n";
    return to_int(rt.error().code);
  }

  // The log file is opened before dropping root, so a root-owned log directory works (3.4 opens it
  // afterwards and silently falls back to syslog). As in 3.4, --log-stderr wins over --log-file,
  // and without either the log goes to syslog (facility daemon).
  LogLevel level = parse_log_level(options->log_level).value_or(LogLevel::notice);
  UniqueFd log_file;
  if (options->log_file && !options->log_stderr) {
    log_file.reset(::open(options->log_file->c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (!log_file) {
      std::cerr << "distccd: cannot open log file " << *options->log_file << ": " << errno_text(errno) << "\n";
      return to_int(ExitCode::io_error);
    }
  }
  int log_fd = options->log_stderr ? 2 : (log_file ? log_file.get() : -1);
  Logger log("distccd", level, log_fd, log_fd < 0);
  log.set_timestamps(log_file.valid());

  if (!rt->job.allowlist.insecure && !rt->job.allowlist.cmdlist_set) {
    bool any = false;
    for (const auto& dir : rt->job.allowlist.masquerade_dirs) any = any || ::access(dir.c_str(), X_OK) == 0;
    if (!any) {
      std::string msg = "no compiler allow-list: none of the masquerade directories exists (";
      for (const auto& dir : rt->job.allowlist.masquerade_dirs) msg += dir + " ";
      msg += "); run update-distcc-symlinks, or use --enable-tcp-insecure";
      log.critical(msg);
      std::cerr << "distccd: " << msg << "\n";
      return to_int(ExitCode::compiler_missing);
    }
  }
  if (options->nice != 0) {
    errno = 0;
    if (::nice(options->nice) == -1 && errno != 0) log.warning("nice(" + std::to_string(options->nice) + ") failed: " + errno_text(errno));
  }

  if (rt->inetd) {
    if (auto s = drop_privileges(options->user, log); !s) {
      log.critical(s.error().message);
      return to_int(s.error().code);
    }
    return serve_inetd(*rt, log);
  }

  auto jobs = bind_listeners(rt->listener.listen_addresses, rt->listener.port);
  if (!jobs) {
    log.critical(jobs.error().message);
    std::cerr << "distccd: " << jobs.error().message << "\n";
    return to_int(jobs.error().code);
  }
  std::optional<BoundSockets> stats;
  if (rt->listener.stats_port) {
    auto bound = bind_listeners(rt->listener.listen_addresses, *rt->listener.stats_port);
    if (!bound) {
      log.critical("stats port: " + bound.error().message);
      return to_int(bound.error().code);
    }
    stats = std::move(*bound);
  }
  if (rt->allow_defaulted) {
    log.notice("no --allow option given: accepting connections from loopback and private networks only");
  }
  if (rt->detach) {
    if (auto s = detach_from_terminal(log_fd == 2); !s) {
      log.critical(s.error().message);
      return to_int(s.error().code);
    }
  }
  // The pid file is written while we may still be root (it usually lives in /run).
  if (options->pid_file) {
    if (auto s = write_pid_file(*options->pid_file); !s) log.error("pid file: " + s.error().message);
  }
  if (auto s = drop_privileges(options->user, log, options->pid_file); !s) {
    log.critical(s.error().message);
    std::cerr << "distccd: " << s.error().message << "\n";
    return to_int(s.error().code);
  }
  // Created after dropping root, so every worker can write it; removed when the daemon exits.
  std::unique_ptr<HeaderCache> header_cache;
  if (options->header_cache_mib > 0) {
    auto cache = HeaderCache::create(rt->job.temp_root, static_cast<std::uint64_t>(options->header_cache_mib) << 20);
    if (cache) {
      header_cache = std::move(*cache);
      rt->job.header_cache = header_cache.get();
    } else {
      log.warning(cache.error().message + "; pump-mode headers will not be cached");
    }
  }
  std::string where = rt->listener.listen_addresses.empty() ? "all addresses" : rt->listener.listen_addresses.front();
  log.notice("listening on " + where + " port " + std::to_string(jobs->port) + " with " +
             std::to_string(rt->listener.jobs) + " job slots" +
             (stats ? ", stats on port " + std::to_string(stats->port) : "") +
             (header_cache ? ", header cache of " + std::to_string(options->header_cache_mib) + " MiB in " + header_cache->path()
                           : ""));
  rt->listener.argv0 = argv[0];
  int code = run_listener(std::move(*jobs), std::move(stats), rt->listener, rt->job, log);
  if (options->pid_file) ::unlink(options->pid_file->c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
