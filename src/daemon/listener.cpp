#include "daemon/listener.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "common/fd_io.h"
#include "daemon/orphans.h"
#include "daemon/stats.h"
#include "daemon/stats_http.h"

namespace dcc {
namespace {

using Clock = std::chrono::steady_clock;

// A worker serves this many connections, then exits and is replaced (as 3.4's pre-forked
// children do), so a slow leak or fragmentation in one job cannot accumulate forever.
constexpr int kJobsPerWorker = 100;

Result<UniqueFd> bind_one(const addrinfo& ai, int port) {
  UniqueFd fd(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol));
  if (!fd) return make_error(ExitCode::bind_failed, "socket: " + errno_text(errno));
  int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (ai.ai_family == AF_INET6) {
    // A wildcard IPv6 socket also takes IPv4 (as ::ffff:a.b.c.d; the access rules handle that).
    int off = 0;
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  sockaddr_storage addr{};
  std::memcpy(&addr, ai.ai_addr, ai.ai_addrlen);
  if (ai.ai_family == AF_INET) reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(static_cast<uint16_t>(port));
  if (ai.ai_family == AF_INET6) reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(static_cast<uint16_t>(port));
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), ai.ai_addrlen) != 0) {
    return make_error(ExitCode::bind_failed, "cannot bind " + address_to_string(addr) + ": " + errno_text(errno));
  }
  if (::listen(fd.get(), 1024) != 0) return make_error(ExitCode::bind_failed, "listen: " + errno_text(errno));
  return fd;
}

int local_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
}

// Pre-forked model, as distcc 3.4: `jobs` worker processes each wait for a connection on the
// shared listening sockets, check the access list, serve the job and wait again. Nothing is forked
// per job. The parent only keeps the workers alive, collects their reports for --stats, serves the
// stats page and handles signals (through a signalfd, so no handler touches shared state).
class Listener {
 public:
  Listener(BoundSockets jobs, std::optional<BoundSockets> stats, const ListenerConfig& config,
           const JobConfig& job_config, Logger& log)
      : jobs_(std::move(jobs)), config_(config), job_config_(job_config), log_(log) {
    if (stats) stats_http_.emplace(std::move(stats->fds), config.allow, log);
  }
  int run();

 private:
  bool start_worker();
  [[noreturn]] void worker_main();
  // Serves one waiting connection; false if there was none (another worker took it).
  bool serve_next_connection();
  void report(const JobReport& report);
  StatsReply stats_page(StatsPage page);
  std::optional<int> queued_connections() const;
  void reap_children();
  void read_reports();
  void stop_children(int signal);

  BoundSockets jobs_;
  std::optional<StatsHttpServer> stats_http_;
  const ListenerConfig& config_;
  const JobConfig& job_config_;
  Logger& log_;
  UniqueFd signals_;
  UniqueFd report_read_, report_write_;
  std::set<pid_t> children_;
  pid_t parent_ = ::getpid();
  DaemonStats stats_;
  sigset_t old_mask_{};
};

int Listener::run() {
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&mask, sig);
  ::sigprocmask(SIG_BLOCK, &mask, &old_mask_);
  signals_.reset(::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
  int pipe_fds[2];
  if (!signals_ || ::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    log_.critical("cannot set up signal handling: " + errno_text(errno));
    return to_int(ExitCode::distcc_failed);
  }
  report_read_.reset(pipe_fds[0]);
  report_write_.reset(pipe_fds[1]);
  // A client that disappears must not kill a worker while it writes a reply.
  ::signal(SIGPIPE, SIG_IGN);
  stats_.set_slots(config_.jobs);
  // Compilers of a worker that is killed outright become our children, to be killed (orphans.h).
  if (!config_.no_fork && !become_subreaper()) log_.warning("cannot become a child subreaper: " + errno_text(errno));

  auto end = config_.lifetime.count() > 0 ? Clock::now() + config_.lifetime : Clock::time_point::max();
  for (;;) {
    while (!config_.no_fork && static_cast<int>(children_.size()) < config_.jobs) {
      if (!start_worker()) break;
    }
    std::vector<pollfd> fds;
    fds.push_back({signals_.get(), POLLIN, 0});
    fds.push_back({report_read_.get(), POLLIN, 0});
    std::size_t first_job_socket = fds.size();
    if (config_.no_fork) {
      for (auto& fd : jobs_.fds) fds.push_back({fd.get(), POLLIN, 0});
    }
    std::size_t first_stats = fds.size();
    if (stats_http_) stats_http_->add_poll_fds(fds);
    int timeout = -1;
    if (end != Clock::time_point::max()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
      if (left <= 0) {
        log_.notice("lifetime of " + std::to_string(config_.lifetime.count()) + " s is over; exiting");
        stop_children(SIGTERM);
        return 0;
      }
      timeout = static_cast<int>(left);
    }
    if (auto next = stats_http_ ? stats_http_->next_deadline() : std::nullopt) {
      // Rounded up, so the deadline has passed when poll returns.
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
      int stats_timeout = static_cast<int>(std::max<long long>(left, 0));
      timeout = timeout < 0 ? stats_timeout : std::min(timeout, stats_timeout);
    }
    int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) {
      log_.critical("poll failed: " + errno_text(errno));
      return to_int(ExitCode::distcc_failed);
    }
    if (stats_http_) {
      // Also on a timeout: that is how the stats connections' deadlines pass.
      stats_http_->handle(std::span(fds).subspan(first_stats), Clock::now(),
                          [this](StatsPage page) { return stats_page(page); });
    }
    if (ready <= 0) continue;
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      while (::read(signals_.get(), &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGCHLD) continue;
        log_.notice("terminating on signal " + std::to_string(info.ssi_signo) + " (" +
                    strsignal(static_cast<int>(info.ssi_signo)) + ")");
        read_reports();
        stop_children(SIGTERM);
        return 0;
      }
      reap_children();
    }
    if (fds[1].revents & POLLIN) read_reports();
    for (std::size_t i = first_job_socket; i < first_stats; ++i) {
      if (fds[i].revents & POLLIN) serve_next_connection();  // --no-fork: serve in this process
    }
  }
}

bool Listener::start_worker() {
  pid_t pid = ::fork();
  if (pid < 0) {
    log_.error("cannot fork a worker: " + errno_text(errno));
    return false;
  }
  if (pid == 0) {
    // A worker must not outlive the daemon (killed with SIGKILL, say): it would keep serving on
    // the port, so a restarted daemon could not bind it. SIGTERM ends it as a stopping daemon
    // would, compiler and temp dir included.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent_) ::_exit(0);  // the parent died before the line above
    worker_main();
  }
  children_.insert(pid);
  return true;
}

void Listener::worker_main() {
  ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
  ::signal(SIGTERM, SIG_DFL);
  // A stats connection held open by a worker would never see its end.
  stats_http_.reset();
  signals_.reset();
  report_read_.reset();
  for (int served = 0; served < kJobsPerWorker;) {
    std::vector<pollfd> fds;
    for (auto& fd : jobs_.fds) fds.push_back({fd.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    for (auto& p : fds) {
      if (!(p.revents & POLLIN)) continue;
      if (serve_next_connection()) ++served;
    }
  }
  ::_exit(0);
}

// Accepts one waiting connection (another worker may have taken it: then there is nothing to do),
// checks the access list before reading a byte, and serves the job.
bool Listener::serve_next_connection() {
  for (auto& listen_fd : jobs_.fds) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    UniqueFd conn(::accept4(listen_fd.get(), reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC));
    if (!conn) continue;
    std::string who = address_to_string(peer);
    if (!is_allowed(config_.allow, peer)) {
      log_.warning("connection from client " + who + " denied by access list");
      report(JobReport{.kind = JobReport::denied, .worker = ::getpid()});
      return true;
    }
    report(JobReport{.kind = JobReport::accepted, .worker = ::getpid()});
    int on = 1;
    ::setsockopt(conn.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    ProcessCompilerRunner runner;
    JobOutcome outcome = serve_job(conn.get(), conn.get(), who, job_config_, runner, log_);
    report(make_job_report(outcome, ::getpid()));
    // The termination signal stayed blocked so the job could clean up; now honour it.
    if (outcome.daemon_stopping && !config_.no_fork) ::_exit(0);
    return true;
  }
  return false;
}

void Listener::report(const JobReport& report) {
  // A small fixed-size record is written atomically to a pipe; the parent reads it in its loop.
  ssize_t ignored = ::write(report_write_.get(), &report, sizeof report);
  (void)ignored;
  if (config_.no_fork) read_reports();
}

void Listener::read_reports() {
  JobReport report;
  while (::read(report_read_.get(), &report, sizeof report) == static_cast<ssize_t>(sizeof report)) {
    switch (report.kind) {
      case JobReport::accepted:
        stats_.connection_accepted(report.worker, Clock::now());
        break;
      case JobReport::denied:
        stats_.connection_denied();
        break;
      default:
        stats_.record(report, Clock::now());
        break;
    }
  }
}

void Listener::reap_children() {
  read_reports();  // a worker's last report arrives before it exits
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) break;
    if (children_.erase(pid) == 0) continue;  // an adopted orphan (see below), now reaped
    stats_.worker_gone(pid, Clock::now());
    // A worker killed in the middle of a job never reports its end.
    if (WIFSIGNALED(status)) {
      log_.error("worker " + std::to_string(pid) + " died of signal " + std::to_string(WTERMSIG(status)));
      if (int killed = kill_adopted_children(children_)) {
        log_.error("killed " + std::to_string(killed) + " compiler process(es) left running by worker " + std::to_string(pid));
      }
      int removed = job_config_.save_temps ? 0 : remove_job_temp_dirs(job_config_.temp_root, pid);
      if (removed > 0) {
        log_.error("removed " + std::to_string(removed) + " job temp dir(s) left by worker " + std::to_string(pid));
      }
    }
  }
}

void Listener::stop_children(int signal) {
  for (pid_t pid : children_) ::kill(pid, signal);
  for (pid_t pid : children_) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    // A worker reading a request or sending a reply dies of the SIGTERM at once, leaving its dir.
    if (WIFSIGNALED(status) && !job_config_.save_temps) remove_job_temp_dirs(job_config_.temp_root, pid);
  }
  children_.clear();
  // What the workers' compilers left (a killed compiler's children, adopted as subreaper) is
  // killed and reaped too, so nothing of ours outlives the daemon, not even a zombie.
  kill_adopted_children(children_);
  for (;;) {
    pid_t pid = ::waitpid(-1, nullptr, 0);
    if (pid < 0 && errno != EINTR) break;
  }
}

StatsReply Listener::stats_page(StatsPage page) {
  read_reports();
  auto now = Clock::now();
  if (page == StatsPage::metrics) return {kMetricsContentType, render_metrics_page(stats_.snapshot(queued_connections()))};
  HostSample host = probe_host(job_config_.temp_root);
  stats_.note_disk_sectors(host.disk_sectors, now);
  return {"text/plain", stats_.render(now, config_.argv0, host)};
}

// Linux reports a listening socket's accept-queue length as tcpi_unacked.
std::optional<int> Listener::queued_connections() const {
  int total = 0;
  for (const auto& fd : jobs_.fds) {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd.get(), IPPROTO_TCP, TCP_INFO, &info, &len) != 0 || info.tcpi_state != TCP_LISTEN) {
      return std::nullopt;
    }
    total += static_cast<int>(info.tcpi_unacked);
  }
  return total;
}

}  // namespace

Result<BoundSockets> bind_listeners(const std::vector<std::string>& addresses, int port) {
  BoundSockets bound;
  bound.port = port;
  std::vector<std::string> wanted = addresses;
  if (wanted.empty()) wanted.push_back("");
  for (const auto& address : wanted) {
    addrinfo hints{};
    hints.ai_family = address.empty() ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    int rc = ::getaddrinfo(address.empty() ? nullptr : address.c_str(), "0", &hints, &found);
    if (rc != 0 && address.empty()) {
      hints.ai_family = AF_INET;  // no IPv6 on this machine
      rc = ::getaddrinfo(nullptr, "0", &hints, &found);
    }
    if (rc != 0) return make_error(ExitCode::bind_failed, "cannot resolve listen address \"" + address + "\": " + gai_strerror(rc));
    auto fd = bind_one(*found, bound.port);
    ::freeaddrinfo(found);
    if (!fd) return make_error(fd.error().code, "--listen " + (address.empty() ? "(any)" : address) + ": " + fd.error().message);
    if (bound.port == 0) bound.port = local_port(fd->get());
    bound.fds.push_back(std::move(*fd));
  }
  return bound;
}

int run_listener(BoundSockets jobs_sockets, std::optional<BoundSockets> stats_sockets, const ListenerConfig& config,
                 const JobConfig& job_config, Logger& log) {
  Listener listener(std::move(jobs_sockets), std::move(stats_sockets), config, job_config, log);
  return listener.run();
}

}  // namespace dcc
