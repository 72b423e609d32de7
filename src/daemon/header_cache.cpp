#include "daemon/header_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <new>
#include <vector>

#include "common/fd_io.h"
#include "common/temp_files.h"
#include "common/unique_fd.h"

namespace dcc {
namespace {

static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "the shared counter must not need a lock");

constexpr std::string_view kDirPrefix = "distccd-headers-";
constexpr std::string_view kLockName = ".evicting";
// An entry larger than this cannot be a body a client sent (ProtocolLimits::max_body).
constexpr off_t kMaxEntry = 256 * 1024 * 1024;

bool is_entry_name(std::string_view name) {
  return name.size() == 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// distccd-headers-<pid>-XXXXXX of a daemon that is gone (pid no longer exists).
bool is_abandoned_cache_dir(std::string_view name) {
  if (!name.starts_with(kDirPrefix)) return false;
  name.remove_prefix(kDirPrefix.size());
  auto dash = name.find('-');
  if (dash == 0 || dash == std::string_view::npos) return false;
  long pid = 0;
  for (char c : name.substr(0, dash)) {
    if (c < '0' || c > '9' || pid > 1'000'000'000) return false;
    pid = pid * 10 + (c - '0');
  }
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

void remove_abandoned_dirs(const std::string& parent) {
  DIR* dir = ::opendir(parent.c_str());
  if (!dir) return;
  std::vector<std::string> gone;
  while (dirent* e = ::readdir(dir)) {
    if (!is_abandoned_cache_dir(e->d_name)) continue;
    std::string path = parent + "/" + e->d_name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid()) gone.push_back(path);
  }
  ::closedir(dir);
  for (const auto& path : gone) remove_tree(path);
}

}  // namespace

HeaderCache::HeaderCache(std::string dir, std::uint64_t limit, std::atomic<std::uint64_t>* stored)
    : dir_(std::move(dir)), limit_(limit), stored_(stored), owner_(::getpid()) {}

Result<std::unique_ptr<HeaderCache>> HeaderCache::create(const std::string& parent, std::uint64_t limit_bytes) {
  remove_abandoned_dirs(parent);
  std::string pattern = parent + "/" + std::string(kDirPrefix) + std::to_string(::getpid()) + "-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    return make_error(ExitCode::io_error, "cannot create the header cache in " + parent + ": " + errno_text(errno));
  }
  void* page = ::mmap(nullptr, sizeof(std::atomic<std::uint64_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    int err = errno;
    ::rmdir(pattern.c_str());
    return make_error(ExitCode::io_error, "cannot map the header cache's counter: " + errno_text(err));
  }
  auto* stored = new (page) std::atomic<std::uint64_t>(0);
  return std::unique_ptr<HeaderCache>(new HeaderCache(pattern, limit_bytes, stored));
}

HeaderCache::~HeaderCache() {
  // Worker processes leave through _exit, but be explicit: only the creator removes the directory.
  if (::getpid() == owner_) remove_tree(dir_);
  ::munmap(stored_, sizeof *stored_);
}

std::string HeaderCache::entry_path(const Sha256Digest& digest) const { return dir_ + "/" + to_hex(digest); }

HeaderCache::Fetched HeaderCache::fetch(const Sha256Digest& digest) const {
  std::string path = entry_path(digest);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return {};
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxEntry) return {};
  std::string body(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < body.size()) {
    ssize_t n = ::read(fd.get(), body.data() + got, body.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != body.size() || sha256(body) != digest) {
    ::unlink(path.c_str());
    stored_->fetch_sub(std::min<std::uint64_t>(stored_->load(), static_cast<std::uint64_t>(st.st_size)));
    return {.body = std::nullopt, .removed_corrupt = true};
  }
  ::futimens(fd.get(), nullptr);  // used now: the last to be evicted
  return {.body = std::move(body), .removed_corrupt = false};
}

void HeaderCache::store(const Sha256Digest& digest, std::string_view body) const {
  if (body.size() > limit_) return;  // would only evict everything else
  std::string temp = dir_ + "/.new-XXXXXX";
  UniqueFd fd(::mkstemp(temp.data()));
  if (!fd) return;
  bool written = write_all(fd.get(), body, Millis{10'000}, "header cache entry").ok();
  fd.reset();
  // link() publishes the complete file under its name, or fails if another job already has:
  // then the bytes are counted once.
  std::string path = entry_path(digest);
  bool published = written && ::link(temp.c_str(), path.c_str()) == 0;
  ::unlink(temp.c_str());
  if (!published) return;
  if (stored_->fetch_add(body.size()) + body.size() > limit_) evict();
}

void HeaderCache::evict() const {
  // One worker evicts at a time; the others carry on (the cache is briefly over its limit).
  UniqueFd lock(::open((dir_ + "/" + std::string(kLockName)).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!lock || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) return;
  struct Entry {
    timespec used;
    std::uint64_t size;
    std::string name;
  };
  std::vector<Entry> entries;
  std::uint64_t total = 0;
  if (DIR* dir = ::opendir(dir_.c_str())) {
    while (dirent* e = ::readdir(dir)) {
      if (!is_entry_name(e->d_name)) continue;
      struct stat st {};
      if (::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      entries.push_back({st.st_mtim, static_cast<std::uint64_t>(st.st_size), e->d_name});
      total += static_cast<std::uint64_t>(st.st_size);
    }
    ::closedir(dir);
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.used.tv_sec != b.used.tv_sec ? a.used.tv_sec < b.used.tv_sec : a.used.tv_nsec < b.used.tv_nsec;
  });
  std::uint64_t target = limit_ / 4 * 3;
  for (const auto& entry : entries) {
    if (total <= target) break;
    if (::unlink((dir_ + "/" + entry.name).c_str()) == 0) total -= entry.size;
  }
  // The scan is the truth. A store that raced with it may go uncounted until the next scan: a few
  // files at most, one per job that was running.
  stored_->store(total);
}

}  // namespace dcc
