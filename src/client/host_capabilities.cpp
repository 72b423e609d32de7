#include "client/host_capabilities.h"

#include <fcntl.h>
#include <unistd.h>

#include "client/host_files.h"
#include "common/protocol.h"
#include "common/unique_fd.h"

namespace dcc {

std::string HostCapabilities::path_of(const HostSpec& host) const {
  return lock_dir_ + "/" + host_file_name("xcap", host, 0);
}

bool HostCapabilities::has_header_cache(const HostSpec& host) const {
  return !lock_dir_.empty() && ::access(path_of(host).c_str(), F_OK) == 0;
}

void HostCapabilities::learn(const HostSpec& host, std::optional<std::uint32_t> bits) const {
  if (lock_dir_.empty()) return;
  bool cache = bits && (*bits & kCapabilityHeaderCache);
  if (cache == has_header_cache(host)) return;
  std::string path = path_of(host);
  // An empty file has no contents to be half-written: creating it is already atomic.
  if (cache) {
    UniqueFd created(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  } else {
    ::unlink(path.c_str());
  }
}

}  // namespace dcc
