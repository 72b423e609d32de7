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
#include "common/sha256.h"

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

// --- Our header-cache extension (DIST kProtocolPumpHeaderCache), used only with a daemon that
// announced kCapabilityHeaderCache:
//   DIST 00000103, MANI <LZO of the protocol 3 items CDIR ... NFIL and the entries>
// where a file entry may be "NAME path, FHSH <32-byte SHA-256 of the LZO body>" instead of
// "NAME path, FILE body" (argv and paths compress well; the hashes are most of what is left).
// The server answers "NEED n" and n times "FIDX i" (the indexes of offered entries it has not
// cached, increasing), and the client then sends "FILE body" for each of those, in that order.
// The reply is protocol 3's. The server hashes every body it receives before it trusts or
// caches it.

// Bodies smaller than this go as FILE: the offer would cost about as much as the file.
inline constexpr std::size_t kMinOfferedBody = 64;

struct HeaderCacheTraffic {
  std::size_t offered = 0;  // files offered by hash
  std::size_t needed = 0;   // of those, the ones the server asked for
};

// The client's side: sends the request offering hashes, reads the server's NEED list and sends
// those files. `in` reads the same connection.
Result<HeaderCacheTraffic> send_pump_request_offering_hashes(ProtocolWriter& out, ProtocolReader& in,
                                                             const PumpRequest& request);

// The server's side of the extension, given to receive_pump_request.
struct PumpHeaderCache {
  ProtocolWriter& out;  // for the NEED list
  // The LZO body cached under `digest`, already checked against it; nullopt if not cached.
  std::function<std::optional<std::string>(const Sha256Digest&)> fetch;
  // A body the client sent for an offered hash, after it was checked against that hash.
  std::function<void(const Sha256Digest&, std::string_view body)> store;
  HeaderCacheTraffic traffic;  // filled in: how many were offered and how many were asked for
};

// With `cache`, reads what follows DIST kProtocolPumpHeaderCache: offered files come from
// `cache` or, when it lacks them, are asked for; the sink sees every entry either way. The
// manifest is bounded by ProtocolLimits::max_pump_manifest.
Result<PumpRequest> receive_pump_request(ProtocolReader& in, const ProtocolLimits& limits, const PumpEntrySink& sink,
                                         PumpHeaderCache& cache);

}  // namespace dcc
