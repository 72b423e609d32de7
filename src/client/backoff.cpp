#include "client/backoff.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/host_files.h"
#include "common/unique_fd.h"

namespace dcc {

bool is_within_backoff(std::time_t marked, std::time_t now, std::chrono::seconds period) {
  auto age = static_cast<long long>(now) - static_cast<long long>(marked);
  long long p = period.count();
  if (p <= 0) return false;
  return age < p && age > -p;
}

std::string Backoff::path_of(const HostSpec& host) const { return lock_dir_ + "/" + backoff_name(host); }

bool Backoff::is_backed_off(const HostSpec& host) const {
  if (!enabled()) return false;
  struct stat st {};
  if (::stat(path_of(host).c_str(), &st) != 0) return false;
  return is_within_backoff(st.st_mtime, std::time(nullptr), period_);
}

void Backoff::dislike(const HostSpec& host) const {
  if (!enabled()) return;
  // One byte written at offset 0 updates the mtime, which is all the file says; 3.4 does the
  // same, so its clients read our marks and we read theirs.
  UniqueFd fd(::open(path_of(host).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
  if (fd) (void)!::write(fd.get(), "x", 1);
}

void Backoff::enjoy(const HostSpec& host) const {
  if (!enabled()) return;
  ::unlink(path_of(host).c_str());
}

}  // namespace dcc
