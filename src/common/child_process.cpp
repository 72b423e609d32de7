#include "common/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <thread>

#include "common/fd_io.h"
#include "common/temp_files.h"

extern char** environ;

namespace dcc {
namespace {

std::vector<std::string> child_environment(const SpawnOptions& options) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    vars[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  for (const auto& [name, value] : options.set_env) vars[name] = value;
  if (options.path) vars["PATH"] = *options.path;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

  void redirect(int fd, int target) {
    if (fd == SpawnOptions::kDevNull) {
      posix_spawn_file_actions_addopen(&actions_, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0);
    } else if (fd >= 0) {
      posix_spawn_file_actions_adddup2(&actions_, fd, target);
    }
  }

 private:
  posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
 public:
  SpawnAttributes() { posix_spawnattr_init(&attr_); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attr_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  posix_spawnattr_t* get() { return &attr_; }

 private:
  posix_spawnattr_t attr_;
};

}  // namespace

ChildProcess::ChildProcess(pid_t pid, bool own_group) : pid_(pid), own_group_(own_group) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0) pidfd_.reset(fd);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      own_group_(other.own_group_),
      pidfd_(std::move(other.pidfd_)),
      on_interrupt_(std::move(other.on_interrupt_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    own_group_ = other.own_group_;
    pidfd_ = std::move(other.pidfd_);
    on_interrupt_ = std::move(other.on_interrupt_);
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

void ChildProcess::kill_and_reap() {
  if (pid_ <= 0) return;
  kill(SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped();
}

void ChildProcess::reaped() {
  on_interrupt_.release();
  pid_ = -1;
}

void ChildProcess::kill(int signal) {
  if (pid_ <= 0) return;
  if (own_group_) ::kill(-pid_, signal);
  ::kill(pid_, signal);
}

Result<int> ChildProcess::wait() {
  if (pid_ <= 0) return make_error(ExitCode::distcc_failed, "no child to wait for");
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, 0);
    if (r == pid_) break;
    if (r < 0 && errno == EINTR) continue;
    return make_error(ExitCode::distcc_failed, "waitpid failed: " + errno_text(errno));
  }
  // The compiler may have left children in its group (e.g. as); they die with it.
  if (own_group_) ::kill(-pid_, SIGKILL);
  reaped();
  return status;
}

std::optional<int> ChildProcess::try_wait() {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r != pid_) return std::nullopt;
  if (own_group_) ::kill(-pid_, SIGKILL);
  reaped();
  return status;
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto status = try_wait()) return status;
    if (pid_ <= 0) return std::nullopt;
    // Rounded up, so that giving up never comes before the deadline.
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (pidfd_) {
      pollfd p{pidfd_.get(), POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 60'000))) < 0 && errno != EINTR) return try_wait();
    } else {
      // No pidfd (old kernel): poll the child's state instead.
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(10)));
    }
  }
}

Result<ChildProcess> ChildProcess::spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return make_error(ExitCode::bad_arguments, "empty command line");
  const char* our_path = ::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): read-only lookup at spawn time
  std::string path = options.path.value_or(our_path ? our_path : "/usr/bin:/bin");
  auto program = find_program(options.argv[0], path, false);
  if (!program) {
    return make_error(ExitCode::compiler_missing, "cannot find " + options.argv[0] + " on PATH");
  }
  FileActions actions;
  actions.redirect(options.stdin_fd, 0);
  actions.redirect(options.stdout_fd, 1);
  actions.redirect(options.stderr_fd, 2);
  if (options.cwd) posix_spawn_file_actions_addchdir_np(actions.get(), options.cwd->c_str());

  SpawnAttributes attr;
  short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
  if (options.new_process_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(attr.get(), 0);
  }
  sigset_t defaults;
  sigfillset(&defaults);
  posix_spawnattr_setsigdefault(attr.get(), &defaults);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(attr.get(), &empty);
  posix_spawnattr_setflags(attr.get(), flags);

  std::vector<std::string> args = options.argv;
  std::vector<std::string> env = child_environment(options);
  auto argv_ptrs = pointers(args);
  auto env_ptrs = pointers(env);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, program->c_str(), actions.get(), attr.get(), argv_ptrs.data(), env_ptrs.data());
  if (rc != 0) {
    return make_error(rc == ENOENT || rc == EACCES || rc == ENOEXEC ? ExitCode::compiler_missing : ExitCode::distcc_failed,
                      "cannot run " + *program + ": " + errno_text(rc));
  }
  ChildProcess child(pid, options.new_process_group);
  if (options.kill_on_interrupt && options.new_process_group) {
    child.on_interrupt_ = InterruptCleanup::for_process_group(pid);
  }
  return child;
}

std::optional<std::string> find_program(const std::string& name, const std::string& path, bool skip_distcc_dirs) {
  if (name.find('/') != std::string::npos) return name;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string_view dir = std::string_view(path).substr(start, end - start);
    if (dir.empty()) dir = ".";
    if (skip_distcc_dirs && dir.find("distcc") != std::string_view::npos) {
      start = end + 1;
      continue;
    }
    // Built by appending: GCC 12 at -O3 misreports `a + "/" + b` here (-Wrestrict, bug 105651).
    std::string candidate;
    candidate.reserve(dir.size() + 1 + name.size());
    candidate.append(dir).append(1, '/').append(name);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return to_int(ExitCode::distcc_failed);
}

Result<CapturedRun> run_capture(const std::vector<std::string>& argv, std::optional<std::string> path,
                                std::vector<std::pair<std::string, std::string>> set_env) {
  auto dir = TempDir::create("dcc_run");
  if (!dir) return dir.error();
  std::string out_path = dir->path() + "/out";
  std::string err_path = dir->path() + "/err";
  UniqueFd out(::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  UniqueFd err(::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out || !err) return make_error(ExitCode::io_error, "cannot create capture files in " + dir->path());
  SpawnOptions options;
  options.argv = argv;
  options.path = std::move(path);
  options.set_env = std::move(set_env);
  options.stdin_fd = SpawnOptions::kDevNull;
  options.stdout_fd = out.get();
  options.stderr_fd = err.get();
  auto child = ChildProcess::spawn(options);
  if (!child) return child.error();
  auto status = child->wait();
  if (!status) return status.error();
  CapturedRun run;
  run.wait_status = *status;
  auto out_text = read_file(out_path);
  auto err_text = read_file(err_path);
  if (out_text) run.out = std::move(*out_text);
  if (err_text) run.err = std::move(*err_text);
  return run;
}

}  // namespace dcc
