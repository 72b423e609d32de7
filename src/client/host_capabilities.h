// What this client knows about a host's extensions. Our daemon appends an XCAP trailer to every
// reply (protocol.h); distcc 3.4's daemon closes the connection instead. What a reply said is
// kept as an empty file $DISTCC_DIR/lock/xcap_<host>_0 per host whose daemon caches headers, so
// the next job (another process) uses the extension from its first byte, and a host that turns
// out to be 3.4 (or ours with the cache off) is forgotten.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/host_spec.h"

namespace dcc {

class HostCapabilities {
 public:
  // An empty lock_dir (unusable $DISTCC_DIR) remembers nothing: every job is plain protocol 3.
  explicit HostCapabilities(std::string lock_dir) : lock_dir_(std::move(lock_dir)) {}

  bool has_header_cache(const HostSpec& host) const;
  // `bits`: the XCAP value, or nullopt when the server sent none (not ours).
  void learn(const HostSpec& host, std::optional<std::uint32_t> bits) const;

 private:
  std::string path_of(const HostSpec& host) const;
  std::string lock_dir_;
};

}  // namespace dcc
