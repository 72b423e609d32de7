#include "client/connection.h"

namespace dcc {

Result<Connection> open_ssh_connection(const HostSpec& host, const ClientConfig&) {
  return make_error(ExitCode::connect_failed, "SSH hosts are not supported by this version yet (" + host.spec + ")");
}

}  // namespace dcc
