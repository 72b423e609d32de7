#include "client/connection.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "common/tcp_connect.h"

namespace dcc {

Connection::~Connection() {
  to_server.reset();
  from_server.reset();
  if (transport) (void)transport->wait_for(kTransportGrace);
}

std::optional<std::string> transport_failure(Connection& conn, Millis grace) {
  if (!conn.transport) return std::nullopt;
  auto status = conn.transport->wait_for(grace);
  if (!status || *status == 0) return std::nullopt;
  if (WIFSIGNALED(*status)) return "ssh was killed by signal " + std::to_string(WTERMSIG(*status));
  int code = exit_code_of(*status);
  // ssh exits with the remote command's code, and uses 255 for its own failures.
  if (code == 255) return std::string("ssh failed (exit code 255; ssh's own message is on stderr)");
  return "the remote command exited with code " + std::to_string(code);
}

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
