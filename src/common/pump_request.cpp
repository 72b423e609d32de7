#include "common/pump_request.h"

#include <algorithm>

#include "common/lzo_codec.h"

namespace dcc {
namespace {

std::string too_long(std::string_view token, std::uint32_t length, std::uint32_t limit) {
  return std::string(token) + " of " + std::to_string(length) + " bytes exceeds the limit of " + std::to_string(limit);
}

// NAME and LINK bodies are paths: they can never contain NUL, and a path the kernel could not use
// is refused here rather than when the server creates it.
Result<std::string> read_path(ProtocolReader& in, std::string_view token, std::uint32_t length,
                              const ProtocolLimits& limits) {
  if (length > limits.max_pump_path) return make_error(ExitCode::protocol_error, too_long(token, length, limits.max_pump_path));
  auto path = in.read_body(length, token);
  if (!path) return path.error();
  if (path->empty()) return make_error(ExitCode::protocol_error, std::string(token) + " is empty");
  if (path->find('\0') != std::string::npos) {
    return make_error(ExitCode::protocol_error, std::string(token) + " \"" + printable(*path) + "\" contains a NUL byte");
  }
  return path;
}

}  // namespace

Status send_pump_request(ProtocolWriter& out, const PumpRequest& request) {
  out.put_token("DIST", 3);
  out.put_string("CDIR", request.cwd);
  out.put_token("ARGC", static_cast<std::uint32_t>(request.argv.size()));
  for (const auto& arg : request.argv) out.put_string("ARGV", arg);
  out.put_token("NFIL", static_cast<std::uint32_t>(request.entries.size()));
  for (const auto& entry : request.entries) {
    out.put_string("NAME", entry.name);
    if (entry.kind == PumpEntry::Kind::link) {
      out.put_string("LINK", entry.data);
    } else if (entry.compressed) {
      out.put_string("FILE", entry.data);
    } else if (auto s = out.put_bulk("FILE", entry.data, /*compress=*/true); !s) {
      return s;
    }
  }
  return out.flush();
}

namespace {

constexpr std::uint32_t kDigestSize = std::tuple_size_v<Sha256Digest>;

std::string_view digest_bytes(const Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// Reads one FILE body of `length` bytes on the wire within the per-body limit.
Result<std::string> read_file_body(ProtocolReader& in, const std::string& name, std::uint32_t length,
                                   const ProtocolLimits& limits) {
  if (length > limits.max_body) {
    return make_error(ExitCode::protocol_error, "FILE " + printable(name) + ": " + std::to_string(length) +
                                                    " bytes exceed the limit of " + std::to_string(limits.max_body));
  }
  return in.read_body(length, "FILE");
}

// `in` holds the request's items (the socket, or the extension's manifest); `uploads` is the
// socket, where offered files the cache lacks arrive.
Result<PumpRequest> receive_request(ProtocolReader& in, ProtocolReader& uploads, const ProtocolLimits& limits,
                                    const PumpEntrySink& sink, PumpHeaderCache* cache) {
  PumpRequest request;
  auto cwd = in.read_string("CDIR", limits.max_cwd_length);
  if (!cwd) return cwd.error();
  request.cwd = std::move(*cwd);
  auto argv = receive_argv(in, limits);
  if (!argv) return argv.error();
  request.argv = std::move(*argv);
  auto count = in.expect_token("NFIL");
  if (!count) return count.error();
  if (*count > limits.max_pump_entries) {
    return make_error(ExitCode::protocol_error, "NFIL " + std::to_string(*count) + " exceeds the limit of " +
                                                    std::to_string(limits.max_pump_entries) + " files");
  }
  // Decompresses a FILE body within what is left of the job's total and hands it to the sink.
  std::uint64_t total = 0;
  auto deliver_file = [&](std::string name, std::string_view body) -> Status {
    PumpEntry entry;
    entry.name = std::move(name);
    if (!body.empty()) {
      std::uint64_t left = limits.max_pump_total - std::min(total, limits.max_pump_total);
      auto plain = lzo_decompress(body, static_cast<std::size_t>(std::min<std::uint64_t>(limits.max_plain, left)));
      if (!plain) {
        std::string bound = left < limits.max_plain ? " (" + std::to_string(left) + " bytes left of the job's limit of " +
                                                          std::to_string(limits.max_pump_total) + ")"
                                                    : "";
        return make_error(plain.error().code, "FILE " + printable(entry.name) + ": " + plain.error().message + bound);
      }
      total += plain->size();
      entry.data = std::move(*plain);
    }
    return sink(std::move(entry));
  };
  // Offered files the cache lacks: asked for after the last entry.
  struct Missing {
    std::uint32_t index;
    std::string name;
    Sha256Digest digest;
  };
  std::vector<Missing> missing;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto name_length = in.expect_token("NAME");
    if (!name_length) return name_length.error();
    auto name = read_path(in, "NAME", *name_length, limits);
    if (!name) return name.error();
    auto head = cache ? in.expect_one_of({"FILE", "LINK", "FHSH"}) : in.expect_either("FILE", "LINK");
    if (!head) return head.error();
    if (head->token == "LINK") {
      auto target = read_path(in, "LINK", head->value, limits);
      if (!target) return target.error();
      PumpEntry entry{.kind = PumpEntry::Kind::link, .name = std::move(*name), .data = std::move(*target)};
      if (auto s = sink(std::move(entry)); !s) return s.error();
    } else if (head->token == "FHSH") {
      if (head->value != kDigestSize) {
        return make_error(ExitCode::protocol_error, "FHSH of " + std::to_string(head->value) + " bytes for " +
                                                        printable(*name) + ": a SHA-256 has 32");
      }
      auto bytes = in.read_body(kDigestSize, "FHSH");
      if (!bytes) return bytes.error();
      Sha256Digest digest;
      std::copy(bytes->begin(), bytes->end(), digest.begin());
      ++cache->traffic.offered;
      if (auto cached = cache->fetch(digest)) {
        if (auto s = deliver_file(std::move(*name), *cached); !s) return s.error();
      } else {
        missing.push_back({i, std::move(*name), digest});
      }
    } else {
      auto body = read_file_body(in, *name, head->value, limits);
      if (!body) return body.error();
      if (auto s = deliver_file(std::move(*name), *body); !s) return s.error();
    }
  }
  if (!cache) return request;
  if (!in.exhausted()) return make_error(ExitCode::protocol_error, "MANI has bytes after its last entry");

  cache->traffic.needed = missing.size();
  cache->out.put_token("NEED", static_cast<std::uint32_t>(missing.size()));
  for (const auto& m : missing) cache->out.put_token("FIDX", m.index);
  if (auto s = cache->out.flush(); !s) return s.error();
  for (auto& m : missing) {
    auto length = uploads.expect_token("FILE");
    if (!length) return length.error();
    auto body = read_file_body(uploads, m.name, *length, limits);
    if (!body) return body.error();
    // Never trust the offer: what is cached (and shared with other clients' jobs) is what the
    // client really sent, under the hash of exactly those bytes.
    if (sha256(*body) != m.digest) {
      return make_error(ExitCode::protocol_error, "FILE " + printable(m.name) + " does not match the SHA-256 " +
                                                      to_hex(m.digest) + " the client offered for it");
    }
    cache->store(m.digest, *body);
    if (auto s = deliver_file(std::move(m.name), *body); !s) return s.error();
  }
  return request;
}

}  // namespace

Result<PumpRequest> receive_pump_request(ProtocolReader& in, const ProtocolLimits& limits, const PumpEntrySink& sink) {
  return receive_request(in, in, limits, sink, nullptr);
}

Result<PumpRequest> receive_pump_request(ProtocolReader& in, const ProtocolLimits& limits, const PumpEntrySink& sink,
                                         PumpHeaderCache& cache) {
  auto length = in.expect_token("MANI");
  if (!length) return length.error();
  if (*length > limits.max_body) {
    return make_error(ExitCode::protocol_error, too_long("MANI", *length, static_cast<std::uint32_t>(limits.max_body)));
  }
  auto body = in.read_body(*length, "MANI");
  if (!body) return body.error();
  auto items = lzo_decompress(*body, limits.max_pump_manifest);
  if (!items) return make_error(items.error().code, "MANI: " + items.error().message);
  ProtocolReader manifest(std::move(*items));
  return receive_request(manifest, in, limits, sink, &cache);
}

Result<HeaderCacheTraffic> send_pump_request_offering_hashes(ProtocolWriter& out, ProtocolReader& in,
                                                             const PumpRequest& request) {
  ProtocolWriter manifest(-1, Millis{0});  // in memory: only small items are put into it
  manifest.put_string("CDIR", request.cwd);
  manifest.put_token("ARGC", static_cast<std::uint32_t>(request.argv.size()));
  for (const auto& arg : request.argv) manifest.put_string("ARGV", arg);
  manifest.put_token("NFIL", static_cast<std::uint32_t>(request.entries.size()));
  // The bodies offered by hash stay here until the server says which it needs; files that were
  // not compressed yet are compressed once, so the hash and a later upload are the same bytes.
  std::vector<std::string> compressed_here;
  compressed_here.reserve(request.entries.size());
  struct Offered {
    std::uint32_t index;
    std::string_view body;
  };
  std::vector<Offered> offered;
  for (std::uint32_t i = 0; i < request.entries.size(); ++i) {
    const auto& entry = request.entries[i];
    manifest.put_string("NAME", entry.name);
    if (entry.kind == PumpEntry::Kind::link) {
      manifest.put_string("LINK", entry.data);
      continue;
    }
    std::string_view body = entry.data;
    if (!entry.compressed && !entry.data.empty()) {
      auto packed = lzo_compress(entry.data);
      if (!packed) return packed.error();
      body = compressed_here.emplace_back(std::move(*packed));
    }
    if (body.size() < kMinOfferedBody) {
      manifest.put_string("FILE", body);
      continue;
    }
    manifest.put_string("FHSH", digest_bytes(sha256(body)));
    offered.push_back({i, body});
  }
  out.put_token("DIST", kProtocolPumpHeaderCache);
  if (auto s = out.put_bulk("MANI", manifest.take_unsent(), /*compress=*/true); !s) return s.error();
  if (auto s = out.flush(); !s) return s.error();

  HeaderCacheTraffic traffic{.offered = offered.size()};
  auto needed = in.expect_token("NEED");
  if (!needed) return needed.error();
  if (*needed > offered.size()) {
    return make_error(ExitCode::protocol_error, "server asked for " + std::to_string(*needed) + " files of the " +
                                                    std::to_string(offered.size()) + " offered");
  }
  traffic.needed = *needed;
  std::vector<std::string_view> uploads;
  std::size_t next = 0;  // FIDX values increase, so one pass over `offered` finds them all
  for (std::uint32_t n = 0; n < *needed; ++n) {
    auto index = in.expect_token("FIDX");
    if (!index) return index.error();
    while (next < offered.size() && offered[next].index < *index) ++next;
    if (next == offered.size() || offered[next].index != *index) {
      return make_error(ExitCode::protocol_error, "server asked for entry " + std::to_string(*index) +
                                                      ", which was not offered (or not in increasing order)");
    }
    uploads.push_back(offered[next++].body);
  }
  for (auto body : uploads) out.put_string("FILE", body);
  if (auto s = out.flush(); !s) return s.error();
  return traffic;
}

}  // namespace dcc
