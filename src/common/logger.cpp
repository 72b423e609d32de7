#include "common/logger.h"

#include <syslog.h>
#include <unistd.h>

#include <ctime>

namespace dcc {

std::optional<LogLevel> parse_log_level(std::string_view name) {
  static constexpr std::string_view kNames[] = {"critical", "error", "warning", "notice", "info", "debug"};
  for (int i = 0; i < 6; ++i) {
    if (name == kNames[i]) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::critical: return "CRITICAL";
    case LogLevel::error: return "ERROR";
    case LogLevel::warning: return "Warning";
    case LogLevel::notice: return "notice";
    case LogLevel::info: return "info";
    case LogLevel::debug: return "debug";
  }
  return "";
}

Logger::Logger(std::string program, LogLevel level, int fd, bool use_syslog)
    : program_(std::move(program)), level_(level), fd_(fd), syslog_(use_syslog) {
  if (syslog_) ::openlog(program_.c_str(), LOG_PID, LOG_DAEMON);
}

void Logger::log(LogLevel level, std::string_view message) {
  bool to_capture = capture_ && level <= LogLevel::warning;
  if (!enabled(level) && !to_capture) return;
  std::string line;
  if (timestamps_) {
    char stamp[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S ", &tm);
    line += stamp;
  }
  std::string body = program_ + "[" + std::to_string(::getpid()) + "] " + std::string(log_level_name(level)) + ": " +
                     std::string(message) + "\n";
  if (to_capture) capture_->append(body);
  if (!enabled(level)) return;
  line += body;
  if (fd_ >= 0) {
    // One write() per line keeps lines from concurrent processes whole (O_APPEND log files).
    ssize_t ignored = ::write(fd_, line.data(), line.size());
    (void)ignored;
  }
  if (syslog_) {
    static constexpr int kPriorities[] = {LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG};
    ::syslog(kPriorities[static_cast<int>(level)], "%.*s", static_cast<int>(message.size()), message.data());
  }
}

}  // namespace dcc
