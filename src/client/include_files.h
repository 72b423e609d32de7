// Pump mode, client side: which files a job needs (asked of the include server, as distcc 3.4
// does) and those files read into protocol 3 entries.
#pragma once

#include <string>
#include <vector>

#include "client/client_config.h"
#include "common/pump_request.h"
#include "common/result.h"

namespace dcc {

// The include server's answer for one compile: paths under its client root. With
// INCLUDE_SERVER_STUB set (3.4's test hook) its whitespace-separated words are the answer and no
// server is asked. An empty answer means the include server gave up on this command.
Result<std::vector<std::string>> ask_include_server(const ClientConfig& config, const std::string& cwd,
                                                    const std::vector<std::string>& argv);

// Each path as the entry the daemon must receive: the name is the client path
// (original_client_path), a symlink becomes LINK with its target, a compressed copy (.lzo,
// .lzo.abs) is sent as it is, anything else is read and compressed when sent.
Result<std::vector<PumpEntry>> read_pump_entries(const std::vector<std::string>& paths);

}  // namespace dcc
