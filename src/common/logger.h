// Logger: leveled, one-line messages to a descriptor (and/or syslog for the daemon). It is a value
// passed by reference, not a global; the daemon gives each job a capture so that warnings about
// that job also reach the client in SERR, as distcc 3.4 does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dcc {

enum class LogLevel { critical = 0, error, warning, notice, info, debug };

std::optional<LogLevel> parse_log_level(std::string_view name);
std::string_view log_level_name(LogLevel level);

class Logger {
 public:
  // `fd` -1 writes nowhere (syslog only when enabled). The logger does not own `fd`.
  Logger(std::string program, LogLevel level, int fd, bool use_syslog = false);

  bool enabled(LogLevel level) const { return level <= level_; }
  void log(LogLevel level, std::string_view message);
  void critical(std::string_view m) { log(LogLevel::critical, m); }
  void error(std::string_view m) { log(LogLevel::error, m); }
  void warning(std::string_view m) { log(LogLevel::warning, m); }
  void notice(std::string_view m) { log(LogLevel::notice, m); }
  void info(std::string_view m) { log(LogLevel::info, m); }
  void debug(std::string_view m) { log(LogLevel::debug, m); }

  void set_level(LogLevel level) { level_ = level; }
  void set_fd(int fd) { fd_ = fd; }
  void set_timestamps(bool on) { timestamps_ = on; }
  // Messages at warning or above are also appended here (the job's SERR) while set.
  void set_capture(std::string* capture) { capture_ = capture; }

 private:
  std::string program_;
  LogLevel level_;
  int fd_;
  bool syslog_;
  bool timestamps_ = false;
  std::string* capture_ = nullptr;
};

}  // namespace dcc
