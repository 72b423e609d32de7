// Names of the per-host files in $DISTCC_DIR/lock, exactly as distcc 3.4 spells them, so a
// mixed installation (some distcc processes ours, some 3.4's) shares slots and backoff:
//   cpu_localhost_<slot>   cpu_tcp_<host>_<port>_<slot>   cpu_ssh_<host>_<slot>
//   backoff_localhost_0    backoff_tcp_<host>_<port>_0    backoff_ssh_<host>_0
// The host is the name as written in the host list (brackets of an IPv6 literal removed).
#pragma once

#include <string>
#include <string_view>

#include "common/host_spec.h"

namespace dcc {

std::string host_file_name(std::string_view kind, const HostSpec& host, int slot);

inline std::string slot_lock_name(const HostSpec& host, int slot) { return host_file_name("cpu", host, slot); }
inline std::string backoff_name(const HostSpec& host) { return host_file_name("backoff", host, 0); }

// The local pools (--localslots, --localslots_cpp and `localhost` entries) all share these
// files in 3.4, so they are one pool of slot numbers with different limits.
std::string local_slot_lock_name(int slot);

}  // namespace dcc
