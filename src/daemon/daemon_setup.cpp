#include "daemon/daemon_setup.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <thread>

#include "common/fd_io.h"
#include "common/temp_files.h"
#include "daemon/access_rules.h"


#ifndef DCC_LIBDIR
#define DCC_LIBDIR "/usr/local/lib"
#endif

namespace dcc {
namespace {

Result<std::vector<std::string>> read_cmdlist(const std::string& path) {
  auto text = read_file(path);
  if (!text) return make_error(ExitCode::bad_arguments, "DISTCC_CMDLIST: " + text.error().message);
  std::vector<std::string> entries;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) entries.push_back(line);
  }
  return entries;
}

Result<int> positive_env_number(const Environment& env, const std::string& name, int fallback) {
  auto value = lookup_env(env, name);
  if (!value) return fallback;
  try {
    std::size_t used = 0;
    int n = std::stoi(*value, &used);
    if (used == value->size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  return make_error(ExitCode::bad_arguments, name + "=\"" + *value + "\" is not a positive number");
}

}  // namespace

bool is_allowlisted_program(const std::string& path) {
  // stat follows the link; a directory is "executable" to access(X_OK) too.
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

Result<DaemonRuntime> make_runtime(const DaemonOptions& options, const Environment& env, bool stdin_is_socket) {
  DaemonRuntime rt;
  rt.inetd = options.mode == DaemonOptions::Mode::inetd ||
             (options.mode == DaemonOptions::Mode::unspecified && stdin_is_socket);
  rt.detach = !options.no_detach;

  auto& l = rt.listener;
  l.listen_addresses = options.listen_addresses;
  l.port = options.port;
  if (options.stats) l.stats_port = options.stats_port.value_or(3633);
  unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  l.jobs = options.jobs > 0 ? options.jobs : static_cast<int>(cpus) + 2;
  l.lifetime = options.lifetime;
  l.no_fork = options.no_fork;
  for (const auto& text : options.allow) {
    auto rule = parse_allow_rule(text);
    if (!rule) return make_error(ExitCode::bad_arguments, "--allow " + text + ": " + rule.error().message);
    l.allow.push_back(*rule);
  }
  if (options.allow_private || options.allow.empty()) {
    auto priv = private_network_rules();
    l.allow.insert(l.allow.end(), priv.begin(), priv.end());
    rt.allow_defaulted = !options.allow_private && options.allow.empty();
  }

  auto& j = rt.job;
  j.allowlist.masquerade_dirs = {std::string(DCC_LIBDIR) + "/distcc", "/usr/lib/distcc"};
  if (j.allowlist.masquerade_dirs[0] == j.allowlist.masquerade_dirs[1]) j.allowlist.masquerade_dirs.pop_back();
  j.allowlist.insecure = options.enable_tcp_insecure;
  if (auto cmdlist = lookup_env(env, "DISTCC_CMDLIST")) {
    auto entries = read_cmdlist(*cmdlist);
    if (!entries) return entries.error();
    j.allowlist.cmdlist = std::move(*entries);
    j.allowlist.cmdlist_set = true;
    auto words = positive_env_number(env, "DISTCC_CMDLIST_NUMWORDS", 1);
    if (!words) return words.error();
    j.allowlist.cmdlist_numwords = *words;
  }
  auto tmpdir = lookup_env(env, "TMPDIR");
  j.temp_root = temp_root(tmpdir ? tmpdir->c_str() : nullptr);
  auto io_timeout = positive_env_number(env, "DISTCC_IO_TIMEOUT", 300);
  if (!io_timeout) return io_timeout.error();
  j.io_timeout = std::chrono::seconds(*io_timeout);
  j.job_lifetime = options.job_lifetime;
  j.save_temps = lookup_env(env, "DISTCC_SAVE_TEMPS").value_or("0") == "1";
  j.compiler_path = lookup_env(env, "DISTCCD_PATH");
  j.is_executable = is_allowlisted_program;
  return rt;
}

Status drop_privileges(const std::optional<std::string>& user, Logger& log,
                       const std::optional<std::string>& owned_file) {
  if (::getuid() != 0 && ::geteuid() != 0) {
    if (user) log.warning("--user " + *user + " ignored: not running as root");
    return {};
  }
  std::vector<std::string> candidates;
  if (user) candidates.push_back(*user);
  else candidates = {"distcc", "distccd", "nobody"};
  uid_t uid = 65534;
  gid_t gid = 65534;
  std::string chosen = "uid 65534";
  for (const auto& name : candidates) {
    if (passwd* pw = ::getpwnam(name.c_str())) {
      uid = pw->pw_uid;
      gid = pw->pw_gid;
      chosen = name;
      break;
    }
    if (user) return make_error(ExitCode::setuid_failed, "--user " + name + ": no such user");
  }
  if (uid == 0) return make_error(ExitCode::setuid_failed, "refusing to run jobs as root (--user " + chosen + ")");
  if (owned_file && ::chown(owned_file->c_str(), uid, gid) != 0) {
    log.warning("cannot hand " + *owned_file + " to " + chosen + ": " + errno_text(errno));
  }
  if (::setgroups(1, &gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) {
    return make_error(ExitCode::setuid_failed, "cannot switch to user " + chosen + ": " + errno_text(errno));
  }
  if (::setuid(0) == 0) return make_error(ExitCode::setuid_failed, "still able to regain root after switching to " + chosen);
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  log.info("running as user " + chosen);
  return {};
}

Status detach_from_terminal(bool keep_stderr) {
  pid_t pid = ::fork();
  if (pid < 0) return make_error(ExitCode::distcc_failed, "cannot fork to detach: " + errno_text(errno));
  if (pid > 0) ::_exit(0);
  ::setsid();
  int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    ::dup2(null, 0);
    ::dup2(null, 1);
    if (!keep_stderr) ::dup2(null, 2);  // --log-stderr keeps it
    if (null > 2) ::close(null);
  }
  return {};
}

Status write_pid_file(const std::string& path) {
  return write_file_atomically(path, std::to_string(::getpid()) + "\n");
}

}  // namespace dcc
