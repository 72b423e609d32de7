#include "client/client_config.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

extern char** environ;

namespace dcc {
namespace {

std::optional<std::string> lookup(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  if (it == env.end()) return std::nullopt;
  return it->second;
}

}  // namespace

Environment snapshot_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

bool env_flag(const Environment& env, const std::string& name, bool fallback) {
  auto value = lookup(env, name);
  if (value == "1") return true;
  if (value == "0") return false;
  return fallback;
}

Result<ClientConfig> ClientConfig::from_env(const Environment& env) {
  ClientConfig c;
  c.hosts_env = lookup(env, "DISTCC_HOSTS");
  if (auto dir = lookup(env, "DISTCC_DIR"); dir && !dir->empty()) {
    c.distcc_dir = *dir;
    c.distcc_dir_from_env = true;
  } else {
    c.distcc_dir = lookup(env, "HOME").value_or("/") + "/.distcc";
  }
  if (auto tmp = lookup(env, "TMPDIR"); tmp && !tmp->empty()) {
    c.tmp_dir = *tmp;
    while (c.tmp_dir.size() > 1 && c.tmp_dir.back() == '/') c.tmp_dir.pop_back();
  }
  c.path = lookup(env, "PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  if (auto level = lookup(env, "_DISTCC_SAFEGUARD")) {
    int n = std::atoi(level->c_str());
    c.safeguard_level = n > 0 ? n : 1;  // 3.4: a non-numeric value still counts as one level
  }
  c.verbose = lookup(env, "DISTCC_VERBOSE") == "1";
  c.log_file = lookup(env, "DISTCC_LOG");
  if (c.log_file && c.log_file->empty()) c.log_file.reset();
  if (auto fd = lookup(env, "UNCACHED_ERR_FD")) {
    int n = std::atoi(fd->c_str());
    if (n > 0) c.uncached_err_fd = n;
  }
  c.fallback = env_flag(env, "DISTCC_FALLBACK", true);
  c.skip_local_retry = lookup(env, "DISTCC_SKIP_LOCAL_RETRY").has_value();
  c.save_temps = env_flag(env, "DISTCC_SAVE_TEMPS", false);
  c.no_rewrite_cross = lookup(env, "DISTCC_NO_REWRITE_CROSS").has_value();
  if (auto timeout = lookup(env, "DISTCC_IO_TIMEOUT")) {
    char* end = nullptr;
    errno = 0;
    long seconds = std::strtol(timeout->c_str(), &end, 10);
    // 3.4 reads an int; anything larger would also overflow as milliseconds.
    if (timeout->empty() || *end != '\0' || seconds <= 0 || errno == ERANGE || seconds > INT_MAX) {
      return make_error(ExitCode::bad_arguments, "DISTCC_IO_TIMEOUT=\"" + *timeout + "\" is not a positive number of seconds");
    }
    c.io_timeout = std::chrono::seconds(seconds);
  }
  return c;
}

}  // namespace dcc
