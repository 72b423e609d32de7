// What a distcc client and an include server say to each other over the include server's Unix
// socket ($INCLUDE_SERVER_PORT), in distcc 3.4's format (include_server_if.c):
//   client -> server: CDIR cwd, ARGC n, ARGV... (the compile command)
//   server -> client: ARGC n, ARGV... (paths of the files to send; none = "compile in plain mode")
// The paths live under the include server's client root, which has exactly three leading path
// components; original_client_path() turns one back into the client path the server must see.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/protocol.h"

namespace dcc {

struct IncludeQuery {
  std::string cwd;
  std::vector<std::string> argv;
};

Status send_include_query(ProtocolWriter& out, const IncludeQuery& query);
Result<IncludeQuery> receive_include_query(ProtocolReader& in, const ProtocolLimits& limits);

// An empty list is sent as ARGC 0, which 3.4 reads as "the include server gave up".
Status send_include_answer(ProtocolWriter& out, const std::vector<std::string>& paths);
Result<std::vector<std::string>> receive_include_answer(ProtocolReader& in, const ProtocolLimits& limits);

// "/dev/shm/x/y/home/u/a.h.lzo" -> "/home/u/a.h"; also strips ".lzo.abs" (3.4's
// dcc_get_original_fname). Paths with fewer than four components come back unchanged.
std::string original_client_path(std::string_view path);

// Whether an include server's path names a compressed copy (".lzo" or ".lzo.abs").
bool is_compressed_copy(std::string_view path);

}  // namespace dcc
