#include "client/connection.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/tcp_connect.h"

namespace dcc {

Result<Connection> open_connection(const HostSpec& host, const ClientConfig& config) {
  if (host.kind == HostKind::ssh) return open_ssh_connection(host, config);
  Connection conn;
  conn.where = host.hostname + ":" + std::to_string(host.port);
  auto socket = connect_tcp(host.hostname, host.port, config.connect_timeout);
  if (!socket) return socket.error();
  // Two descriptors so both kinds of connection look alike; dup shares the one socket.
  UniqueFd read_side(::fcntl(socket->get(), F_DUPFD_CLOEXEC, 0));
  if (!read_side) return make_error(ExitCode::io_error, "dup: " + errno_text(errno));
  conn.to_server = std::move(*socket);
  conn.from_server = std::move(read_side);
  return conn;
}

}  // namespace dcc
