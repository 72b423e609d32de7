#include "common/fd_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "common/unique_fd.h"

namespace dcc {

std::string errno_text(int err) { return std::strerror(err); }

Status set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    return make_error(ExitCode::io_error, "cannot make descriptor non-blocking: " + errno_text(errno));
  }
  return {};
}

Status wait_for_fd(int fd, short events, Millis timeout, std::string_view what) {
  pollfd p{fd, events, 0};
  // poll() takes an int: clamp long timeouts (DISTCC_IO_TIMEOUT of weeks) instead of wrapping.
  const int poll_ms = static_cast<int>(std::min<Millis::rep>(timeout.count(), std::numeric_limits<int>::max()));
  for (;;) {
    int n = ::poll(&p, 1, poll_ms);
    if (n > 0) return {};
    if (n == 0) {
      std::string waited = timeout.count() >= 1000 ? std::to_string(timeout.count() / 1000) + " s"
                                                    : std::to_string(timeout.count()) + " ms";
      return make_error(ExitCode::io_error, std::string(what) + ": timed out after " + waited);
    }
    if (errno != EINTR) return make_error(ExitCode::io_error, std::string(what) + ": poll: " + errno_text(errno));
  }
}

Status write_all(int fd, std::string_view data, Millis timeout, std::string_view what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (auto s = wait_for_fd(fd, POLLOUT, timeout, what); !s) return s;
      continue;
    }
    return make_error(ExitCode::io_error, std::string(what) + ": write failed: " + errno_text(errno));
  }
  return {};
}

Result<std::size_t> read_some(int fd, char* buffer, std::size_t max, Millis timeout, std::string_view what) {
  for (;;) {
    ssize_t n = ::read(fd, buffer, max);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto s = wait_for_fd(fd, POLLIN, timeout, what); !s) return s.error();
      continue;
    }
    return make_error(ExitCode::io_error, std::string(what) + ": read failed: " + errno_text(errno));
  }
}

Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return make_error(ExitCode::no_such_file, "cannot open " + path + ": " + errno_text(errno));
  std::string out;
  struct stat st {};
  if (fstat(fd.get(), &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ExitCode::io_error, "cannot read " + path + ": " + errno_text(errno));
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Status write_file(const std::string& path, std::string_view data, int mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) return make_error(ExitCode::io_error, "cannot create " + path + ": " + errno_text(errno));
  while (!data.empty()) {
    ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ExitCode::io_error, "cannot write " + path + ": " + errno_text(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd.release()) != 0) {
    return make_error(ExitCode::io_error, "cannot write " + path + ": " + errno_text(errno));
  }
  return {};
}

}  // namespace dcc
