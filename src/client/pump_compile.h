// One pump-mode (protocol 3) remote compile: nothing is preprocessed here; the source and the
// headers the include server named are sent, and the server returns the object and the .d file.
#pragma once

#include <vector>

#include "client/remote_compile.h"
#include "common/pump_request.h"

namespace dcc {

// `files` are the entries read from the include server's answer (read_pump_entries).
// `offer_hashes`: use our header-cache extension (only for a host whose daemon announced it).
RemoteResult compile_pump(const RemoteJob& job, const HostSpec& host, const std::vector<PumpEntry>& files,
                          const std::string& cwd, const RemoteContext& ctx, bool offer_hashes = false);

}  // namespace dcc
