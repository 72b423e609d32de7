// The pump-mode header cache: the LZO bodies of files clients sent, each named by the SHA-256 of
// its bytes, in one directory shared by all the daemon's worker processes. A job whose client
// offers a file by hash takes it from here instead of over the network (pump_request.h).
//
// Bounded: a counter in shared memory tracks the bytes stored; when a store takes it past the
// limit, the least recently used entries (an entry's mtime is its last use) are removed until
// three quarters of the limit remain. So the directory holds at most the limit plus one file per
// running job.
//
// Trusted only after checking: every fetch re-hashes the entry, and an entry that does not match
// its name (disk corruption, tampering) is removed and reported as missing, so the client is
// asked for the file and no job ever compiles the wrong bytes.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/sha256.h"

namespace dcc {

class HeaderCache {
 public:
  // Creates <parent>/distccd-headers-<pid>-XXXXXX (mode 0700), first removing such directories
  // left by daemons of this user that no longer run. The creating process removes it again.
  static Result<std::unique_ptr<HeaderCache>> create(const std::string& parent, std::uint64_t limit_bytes);
  ~HeaderCache();
  HeaderCache(const HeaderCache&) = delete;
  HeaderCache& operator=(const HeaderCache&) = delete;

  struct Fetched {
    std::optional<std::string> body;  // the verified LZO body, or nothing
    bool removed_corrupt = false;     // an entry was there but did not match its hash
  };
  Fetched fetch(const Sha256Digest& digest) const;
  // Stores `body` (whose hash the caller has checked) under `digest`; errors only cost a later miss.
  void store(const Sha256Digest& digest, std::string_view body) const;

  const std::string& path() const { return dir_; }
  std::uint64_t limit() const { return limit_; }
  std::uint64_t bytes_stored() const { return stored_->load(); }

 private:
  HeaderCache(std::string dir, std::uint64_t limit, std::atomic<std::uint64_t>* stored);
  void evict() const;
  std::string entry_path(const Sha256Digest& digest) const;

  std::string dir_;
  std::uint64_t limit_;
  std::atomic<std::uint64_t>* stored_;  // in a MAP_SHARED page: one counter for all workers
  pid_t owner_;
};

}  // namespace dcc
