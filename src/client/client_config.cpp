#include "client/client_config.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace dcc {
bool env_flag(const Environment& env, const std::string& name, bool fallback) {
  auto value = lookup_env(env, name);
  if (value == "1") return true;
  if (value == "0") return false;
  return fallback;
}

namespace {

std::optional<long> parse_non_negative(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 0 || errno == ERANGE || n > INT_MAX) return std::nullopt;
  return n;
}

}  // namespace

Result<ClientConfig> ClientConfig::from_env(const Environment& env) {
  ClientConfig c;
  c.hosts_env = lookup_env(env, "DISTCC_HOSTS");
  if (auto dir = lookup_env(env, "DISTCC_DIR"); dir && !dir->empty()) {
    c.distcc_dir = *dir;
    c.distcc_dir_from_env = true;
  } else {
    c.distcc_dir = lookup_env(env, "HOME").value_or("/") + "/.distcc";
  }
  if (auto tmp = lookup_env(env, "TMPDIR"); tmp && !tmp->empty()) {
    c.tmp_dir = *tmp;
    while (c.tmp_dir.size() > 1 && c.tmp_dir.back() == '/') c.tmp_dir.pop_back();
  }
  c.path = lookup_env(env, "PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  if (auto level = lookup_env(env, "_DISTCC_SAFEGUARD")) {
    int n = std::atoi(level->c_str());
    c.safeguard_level = n > 0 ? n : 1;  // 3.4: a non-numeric value still counts as one level
  }
  c.verbose = lookup_env(env, "DISTCC_VERBOSE") == "1";
  c.log_file = lookup_env(env, "DISTCC_LOG");
  if (c.log_file && c.log_file->empty()) c.log_file.reset();
  if (auto fd = lookup_env(env, "UNCACHED_ERR_FD")) {
    int n = std::atoi(fd->c_str());
    if (n > 0) c.uncached_err_fd = n;
  }
  c.fallback = env_flag(env, "DISTCC_FALLBACK", true);
  c.skip_local_retry = lookup_env(env, "DISTCC_SKIP_LOCAL_RETRY").has_value();
  c.save_temps = env_flag(env, "DISTCC_SAVE_TEMPS", false);
  c.header_cache = env_flag(env, "DISTCC_HEADER_CACHE", true);
  c.no_rewrite_cross = lookup_env(env, "DISTCC_NO_REWRITE_CROSS").has_value();
  c.ssh_command = lookup_env(env, "DISTCC_SSH");
  c.include_server_port = lookup_env(env, "INCLUDE_SERVER_PORT");
  c.include_server_stub = lookup_env(env, "INCLUDE_SERVER_STUB");
  if (auto timeout = lookup_env(env, "DISTCC_IO_TIMEOUT")) {
    char* end = nullptr;
    errno = 0;
    long seconds = std::strtol(timeout->c_str(), &end, 10);
    // 3.4 reads an int; anything larger would also overflow as milliseconds.
    if (timeout->empty() || *end != '\0' || seconds <= 0 || errno == ERANGE || seconds > INT_MAX) {
      return make_error(ExitCode::bad_arguments, "DISTCC_IO_TIMEOUT=\"" + *timeout + "\" is not a positive number of seconds");
    }
    c.io_timeout = std::chrono::seconds(seconds);
  }
  // Both as 3.4 reads them (atoi): junk reads as 0; we keep the default for junk instead.
  if (auto period = lookup_env(env, "DISTCC_BACKOFF_PERIOD")) {
    if (auto n = parse_non_negative(*period)) c.backoff_period = std::chrono::seconds(*n);
  }
  if (auto pause = lookup_env(env, "DISTCC_PAUSE_TIME_MSEC")) {
    if (auto n = parse_non_negative(*pause)) c.pause_time = Millis(*n);
  }
  return c;
}

}  // namespace dcc
