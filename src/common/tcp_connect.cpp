#include "common/tcp_connect.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

namespace dcc {
namespace {

Result<UniqueFd> connect_one(const addrinfo& ai, Millis timeout) {
  UniqueFd fd(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol));
  if (!fd) return make_error(ExitCode::connect_failed, std::string("socket: ") + errno_text(errno));
  int on = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS) return make_error(ExitCode::connect_failed, errno_text(errno));
  pollfd p{fd.get(), POLLOUT, 0};
  int n;
  do {
    n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (n < 0 && errno == EINTR);
  if (n == 0) return make_error(ExitCode::connect_failed, "connection timed out after " + std::to_string(timeout.count()) + " ms");
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  if (n < 0 || err != 0) return make_error(ExitCode::connect_failed, errno_text(err ? err : errno));
  return fd;
}

}  // namespace

Result<UniqueFd> connect_tcp(const std::string& host, int port, Millis timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) return make_error(ExitCode::connect_failed, "cannot resolve " + host + ": " + gai_strerror(rc));
  Error last{ExitCode::connect_failed, "no addresses"};
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    auto fd = connect_one(*ai, timeout);
    if (fd) {
      ::freeaddrinfo(found);
      return fd;
    }
    last = fd.error();
  }
  ::freeaddrinfo(found);
  return make_error(ExitCode::connect_failed, "cannot connect to " + where + ": " + last.message);
}

}  // namespace dcc
