// The SSH transport's pure half: which command line reaches the distccd of an SSH host.
// (open_ssh_connection, the half that runs it, is declared in connection.h.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/host_spec.h"
#include "common/result.h"

namespace dcc {

// The command line distcc 3.4 runs for an SSH host:
//   <DISTCC_SSH words, or "ssh"> [-l USER] HOST <COMMAND, or "distccd"> --inetd --enable-tcp-insecure
// `distcc_ssh` is DISTCC_SSH as set (nullopt when unset); it is split like a shell would
// (quotes, backslashes) on every call, so every connection of a process honours it (3.4 split
// it with strtok, which mutated it: only the first connection did, bug #434). An empty or blank
// value means "ssh". An unterminated quote is a bad_arguments error naming the variable:
//   DISTCC_SSH="ssh -o 'Port 22": unterminated single quote (opened at column 8)
// A host name starting with '-' is refused: ssh would read it as an option (-oProxyCommand=...).
Result<std::vector<std::string>> build_ssh_argv(const HostSpec& host, const std::optional<std::string>& distcc_ssh);

// "ssh:HOST" or "ssh:USER@HOST": how messages and logs name the connection.
std::string ssh_where(const HostSpec& host);

}  // namespace dcc
