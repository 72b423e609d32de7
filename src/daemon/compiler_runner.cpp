#include "daemon/compiler_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>

#include "common/child_process.h"
#include "common/fd_io.h"
#include "common/unique_fd.h"

namespace dcc {
namespace {

using Clock = std::chrono::steady_clock;

// True if the peer closed or reset the connection. The client sends nothing while the job runs,
// so a readable socket means end of stream (or an error).
bool client_hung_up(int fd) {
  char byte;
  ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return true;
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTSOCK) return true;
  return false;
}

// While the compiler runs, termination signals are taken through a signalfd instead of killing
// this process outright: the compiler lives in its own process group and would otherwise be left
// running as an orphan. When one arrives the compiler is killed and the signal stays blocked, so
// the job process can still remove its temp dir before it exits.
class TerminationSignals {
 public:
  TerminationSignals() {
    sigemptyset(&set_);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set_, sig);
    ::sigprocmask(SIG_BLOCK, &set_, &old_);
    fd_.reset(::signalfd(-1, &set_, SFD_CLOEXEC | SFD_NONBLOCK));
  }
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;
  ~TerminationSignals() {
    if (!received_) ::sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  int fd() const { return fd_.get(); }
  bool check() {
    signalfd_siginfo info{};
    if (fd_ && ::read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) received_ = true;
    return received_;
  }

 private:
  sigset_t set_{};
  sigset_t old_{};
  UniqueFd fd_;
  bool received_ = false;
};

// SIGTERM to the compiler's process group, and SIGKILL if it is still there after `grace`.
int stop_compiler(ChildProcess& child, std::chrono::milliseconds grace) {
  child.kill(SIGTERM);
  if (auto status = child.wait_for(grace)) return *status;
  child.kill(SIGKILL);
  auto status = child.wait();
  return status ? *status : 0;
}

}  // namespace

Result<std::string> read_compiler_output(const std::string& path, std::size_t limit) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return make_error(ExitCode::no_such_file, "cannot open " + path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error(ExitCode::io_error, "cannot stat " + path + ": " + errno_text(errno));
  std::size_t size = static_cast<std::size_t>(st.st_size);
  std::string out(std::min(size, limit), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ExitCode::io_error, "cannot read " + path + ": " + errno_text(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  if (size > got) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += "distccd: compiler output cut here: " + std::to_string(size - got) + " more bytes (the limit is " +
           std::to_string(limit) + " bytes)\n";
  }
  return out;
}

Result<CompilerOutcome> ProcessCompilerRunner::run(const CompilerRun& run) {
  UniqueFd out(::open(run.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  UniqueFd err(::open(run.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out || !err) return make_error(ExitCode::io_error, "cannot create output files in " + run.workdir + ": " + errno_text(errno));

  SpawnOptions options;
  options.argv = run.argv;
  options.cwd = run.workdir;
  options.stdin_fd = SpawnOptions::kDevNull;
  options.stdout_fd = out.get();
  options.stderr_fd = err.get();
  options.new_process_group = true;
  options.set_env = run.env;
  options.path = run.path;
  TerminationSignals signals;
  auto child = ChildProcess::spawn(options);
  if (!child) return child.error();

  CompilerOutcome outcome;
  bool watch_client = run.client_fd >= 0;
  auto deadline = run.lifetime.count() > 0 ? Clock::now() + run.lifetime : Clock::time_point::max();
  for (;;) {
    if (auto status = child->try_wait()) {
      outcome.wait_status = *status;
      return outcome;
    }
    pollfd fds[3];
    int n = 0;
    if (signals.fd() >= 0) fds[n++] = {signals.fd(), POLLIN, 0};
    if (child->exit_fd() >= 0) fds[n++] = {child->exit_fd(), POLLIN, 0};
    if (watch_client) fds[n++] = {run.client_fd, POLLIN | POLLRDHUP, 0};
    // Without a pidfd we fall back to a short poll interval.
    int timeout_ms = child->exit_fd() >= 0 ? 1000 : 20;
    if (deadline != Clock::time_point::max()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        outcome.timed_out = true;
        outcome.wait_status = stop_compiler(*child, run.stop_grace);
        return outcome;
      }
      timeout_ms = static_cast<int>(std::min<long long>(timeout_ms, left));
    }
    int ready = ::poll(fds, static_cast<nfds_t>(n), timeout_ms);
    if (ready < 0 && errno != EINTR) return make_error(ExitCode::io_error, "poll failed while waiting for the compiler: " + errno_text(errno));
    if (ready > 0 && signals.check()) {
      outcome.daemon_stopping = true;
      outcome.wait_status = stop_compiler(*child, run.stop_grace);
      return outcome;
    }
    if (watch_client && ready > 0 && (fds[n - 1].revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR))) {
      if (client_hung_up(run.client_fd)) {
        outcome.client_gone = true;
        outcome.wait_status = stop_compiler(*child, run.stop_grace);
        return outcome;
      }
      // Unexpected extra bytes from the client: stop watching rather than spin on them.
      watch_client = false;
    }
  }
}

}  // namespace dcc
