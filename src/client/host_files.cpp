#include "client/host_files.h"

namespace dcc {

std::string host_file_name(std::string_view kind, const HostSpec& host, int slot) {
  std::string name(kind);
  switch (host.kind) {
    case HostKind::local: name += "_localhost"; break;
    case HostKind::tcp: name += "_tcp_" + host.hostname + "_" + std::to_string(host.port); break;
    case HostKind::ssh: name += "_ssh_" + host.hostname; break;
  }
  return name + "_" + std::to_string(slot);
}

std::string local_slot_lock_name(int slot) { return "cpu_localhost_" + std::to_string(slot); }

}  // namespace dcc
