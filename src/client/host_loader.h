// Finding and parsing the host list for this invocation, and choosing a host from it.
#pragma once

#include "client/client_config.h"
#include "common/host_spec.h"
#include "common/result.h"

namespace dcc {

// Error (bad_hostspec / no_hosts) with a one-line message when there is no usable list.
Result<HostList> load_host_list(const ClientConfig& config);

// Issue-2 host choice: the first host that is not marked ,down. Slot locking and backoff
// replace this with the full 3.4 algorithm.
const HostSpec* choose_host(const HostList& hosts);

}  // namespace dcc
