// A channel to one distccd: a TCP socket, or the pipes of an `ssh HOST distccd --inetd` child.
// The protocol code only sees two non-blocking descriptors; who is at the other end is this
// module's business.
#pragma once

#include <optional>
#include <string>

#include "client/client_config.h"
#include "common/child_process.h"
#include "common/host_spec.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace dcc {

struct Connection {
  UniqueFd to_server;    // requests are written here
  UniqueFd from_server;  // replies are read here (the same socket as to_server for TCP)
  std::optional<ChildProcess> transport;  // the ssh process, reaped (killed if need be) with us
  std::string where;                      // "host:port" or "ssh:user@host", for messages

  Connection() = default;
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) = delete;  // would end a transport without the grace period
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Closes both descriptors first: end of input is what makes the remote `distccd --inetd` and
  // then ssh exit. ssh gets kTransportGrace to do so cleanly before the ChildProcess kills it.
  ~Connection();
};

// How long a transport (ssh) may take to exit on its own once the connection is closed.
inline constexpr Millis kTransportGrace{1000};

// When the transport process has died (ssh could not connect or log in, the remote command was
// not found), says so: "ssh failed (exit code 255; ...)". Waits up to `grace` for it to exit,
// since a pipe can reach end of file just before the process is gone. nullopt for TCP, while ssh
// still runs, or when it exited with 0.
std::optional<std::string> transport_failure(Connection& conn, Millis grace);

// Opens a connection to a remote (tcp or ssh) host. Failures are connect_failed (or, for ssh,
// compiler_missing when the ssh program cannot run and bad_arguments for a malformed
// DISTCC_SSH), with a one-line message naming the host or the variable.
Result<Connection> open_connection(const HostSpec& host, const ClientConfig& config);

// The SSH half, in ssh_transport.cpp.
Result<Connection> open_ssh_connection(const HostSpec& host, const ClientConfig& config);

}  // namespace dcc
