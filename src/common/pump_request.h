// Protocol 3 (pump mode) requests. Instead of preprocessed text the client sends its working
// directory and the source and header files themselves:
//   DIST 3, CDIR cwd, ARGC/ARGV..., NFIL n, then n times NAME path + (FILE lzo-body | LINK target).
// The server mirrors those files under a per-job root and preprocesses there.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/protocol.h"

namespace dcc {

struct PumpEntry {
  enum class Kind { file, link };
  Kind kind = Kind::file;
  std::string name;  // the client's absolute path
  std::string data;  // FILE: contents; LINK: the symlink's target, as readlink gives it
  // FILE only: `data` is already an LZO1X block (an include server's compressed copy), sent as it is.
  bool compressed = false;
};

struct PumpRequest {
  std::string cwd;
  std::vector<std::string> argv;  // argv[0] is the compiler name
  std::vector<PumpEntry> entries;
};

// Always protocol 3; every FILE body is LZO-compressed as distcc 3.4 sends it.
Status send_pump_request(ProtocolWriter& out, const PumpRequest& request);

// Reads what follows DIST 3. Each entry goes to `sink` as soon as it has arrived, so at most one
// file is held in memory; a sink error ends the request with that error. Returns the request
// without its entries. Limits: ProtocolLimits::max_pump_entries, max_pump_path (NAME and LINK),
// max_body per FILE on the wire, max_plain per file and max_pump_total for all files together.
using PumpEntrySink = std::function<Status(PumpEntry&&)>;
Result<PumpRequest> receive_pump_request(ProtocolReader& in, const ProtocolLimits& limits, const PumpEntrySink& sink);

}  // namespace dcc
