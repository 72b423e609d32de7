// Name lookups for lsdistcc: IPv4 only, as 3.4 (which used gethostbyname) and its -n and -m.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "tools/lsdistcc/targets.h"

namespace dcc::lsdistcc {

// The host's first IPv4 address; nullopt if it has none. Blocks for as long as the resolver does.
std::optional<Ipv4> resolve_ipv4(const std::string& host);

// This machine's DNS domain, for -d.
Result<std::string> local_dns_domain();

}  // namespace dcc::lsdistcc
