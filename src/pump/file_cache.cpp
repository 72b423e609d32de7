#include "pump/file_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/unique_fd.h"

namespace dcc::pump {
namespace {

Result<std::string> read_whole(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd)
    return make_error(ExitCode::distcc_failed,
                      "pump: cannot read " + path + ": " + std::strerror(errno));
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return make_error(ExitCode::distcc_failed,
                        "pump: cannot read " + path + ": " + std::strerror(errno));
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  return data;
}

}  // namespace

const FileCache::Stat& FileCache::stat_of(const std::string& path) {
  auto it = stats_.find(path);
  if (it != stats_.end()) return it->second;
  Stat s;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    s.regular = true;
    s.dev = st.st_dev;
    s.ino = st.st_ino;
  }
  return stats_.emplace(path, s).first->second;
}

bool FileCache::is_file(const std::string& path) { return stat_of(path).regular; }

Result<const FileDirectives*> FileCache::directives(const std::string& path) {
  if (auto it = by_path_.find(path); it != by_path_.end()) return it->second;
  const Stat& s = stat_of(path);
  if (!s.regular)
    return make_error(ExitCode::distcc_failed,
                      "pump: cannot read " + path + ": not a regular file");
  auto key = std::make_pair(s.dev, s.ino);
  auto found = by_identity_.find(key);
  if (found == by_identity_.end()) {
    auto text = read_whole(path);
    if (!text) return text.error();
    ++files_read_;
    found =
        by_identity_.emplace(key, std::make_unique<FileDirectives>(lex_directives(*text))).first;
  }
  by_path_.emplace(path, found->second.get());
  return static_cast<const FileDirectives*>(found->second.get());
}

}  // namespace dcc::pump
