#include "daemon/mirror_root.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>

#include "common/fd_io.h"
#include "common/path_components.h"

namespace dcc {
namespace {

constexpr int kMaxLinkHops = 40;  // the kernel's MAXSYMLINKS

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

Error refused(const std::string& what, const std::string& why) {
  return make_error(ExitCode::protocol_error, what + ": " + why);
}

}  // namespace

Result<std::vector<std::string>> mirror_components(std::string_view client_path) {
  std::string shown = "\"" + printable(client_path, 200) + "\"";
  if (client_path.empty() || client_path.front() != '/') return refused(shown, "not an absolute path");
  std::vector<std::string> parts;
  for (auto& part : path_components(client_path)) {
    if (part == ".") continue;
    if (part == "..") return refused(shown, "contains \"..\"");
    parts.push_back(std::move(part));
  }
  return parts;
}

std::string normalize_absolute(std::string_view path) {
  std::vector<std::string> out;
  for (auto& part : path_components(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(std::move(part));
  }
  return join(out);
}

bool is_within(std::string_view path, const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    if (path == dir) return true;
    if (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/') return true;
  }
  return false;
}

Result<MirrorRoot> MirrorRoot::open(const std::string& dir) {
  char real[PATH_MAX];
  if (!::realpath(dir.c_str(), real)) {
    return make_error(ExitCode::io_error, "cannot resolve mirror root " + dir + ": " + std::strerror(errno));
  }
  int fd = ::open(real, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return make_error(ExitCode::io_error, std::string("cannot open mirror root ") + real + ": " + std::strerror(errno));
  return MirrorRoot(UniqueFd(fd), real);
}

Result<UniqueFd> MirrorRoot::open_parent(const std::vector<std::string>& components, std::string_view client_path) const {
  UniqueFd dir(::fcntl(root_fd_.get(), F_DUPFD_CLOEXEC, 0));
  if (!dir) return make_error(ExitCode::io_error, std::string("cannot duplicate mirror root: ") + std::strerror(errno));
  for (std::size_t i = 0; i + 1 < components.size(); ++i) {
    const std::string& part = components[i];
    if (::mkdirat(dir.get(), part.c_str(), 0755) != 0 && errno != EEXIST) {
      return make_error(ExitCode::io_error, "cannot create directory for " + printable(client_path, 200) + ": " +
                                                std::strerror(errno));
    }
    int next = ::openat(dir.get(), part.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (next < 0) {
      int err = errno;
      struct stat st;
      bool is_link = ::fstatat(dir.get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
      std::string why = is_link || err == ELOOP ? "passes through the symlink \"" + printable(part) + "\""
                        : err == ENOTDIR        ? "passes through the file \"" + printable(part) + "\""
                                                : std::strerror(err);
      return refused("\"" + printable(client_path, 200) + "\"", why);
    }
    dir = UniqueFd(next);
  }
  return dir;
}

Status MirrorRoot::add(const PumpEntry& entry) {
  auto parts = mirror_components(entry.name);
  if (!parts) return parts.error();
  std::string shown = "\"" + printable(entry.name, 200) + "\"";
  if (parts->empty()) return refused(shown, "names the root itself");
  auto parent = open_parent(*parts, entry.name);
  if (!parent) return parent.error();
  const char* leaf = parts->back().c_str();
  if (entry.kind == PumpEntry::Kind::link) {
    // An absolute target means the same path in the client's tree, i.e. under the root (as 3.4).
    std::string target = entry.data.front() == '/' ? root_ + normalize_absolute(entry.data) : entry.data;
    if (::symlinkat(target.c_str(), parent->get(), leaf) != 0) {
      return refused(shown, errno == EEXIST ? "sent twice" : std::string("cannot create link: ") + std::strerror(errno));
    }
    links_.push_back(join(*parts));
    return {};
  }
  int fd = ::openat(parent->get(), leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    return refused(shown, errno == EEXIST ? "sent twice" : std::string("cannot create file: ") + std::strerror(errno));
  }
  UniqueFd file(fd);
  if (auto s = write_all(file.get(), entry.data, Millis(0), "writing " + printable(entry.name, 200)); !s) return s;
  ++files_;
  return {};
}

Result<std::string> MirrorRoot::make_directory(std::string_view client_path) {
  auto parts = mirror_components(client_path);
  if (!parts) return parts.error();
  parts->push_back(".");  // so open_parent creates every real component
  auto dir = open_parent(*parts, client_path);
  if (!dir) return dir.error();
  parts->pop_back();
  return root_ + (parts->empty() ? std::string() : join(*parts));
}

Status MirrorRoot::check_links(const MirrorPolicy& policy) const {
  for (const auto& link : links_) {
    if (auto s = check_link(link, policy); !s) return s;
  }
  return {};
}

// Resolves `client_path` through the mirror as the kernel would resolve root_ + client_path, but
// noticing the moment it leaves the root.
Status MirrorRoot::check_link(const std::string& client_path, const MirrorPolicy& policy) const {
  std::string shown = "link \"" + printable(client_path, 200) + "\"";
  std::deque<std::string> pending;
  for (auto& p : path_components(client_path)) pending.push_back(std::move(p));
  std::vector<std::string> at;  // resolved components below the root
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!at.empty()) {
        at.pop_back();
        continue;
      }
      // Above the root: the rest is resolved in the server's real tree.
      std::string rest = root_.substr(0, root_.rfind('/'));
      for (const auto& p : pending) rest += "/" + p;
      std::string outside = normalize_absolute(rest);
      if (is_within(outside, policy.system_dirs)) return {};
      return refused(shown, "points outside the job's root, to " + outside);
    }
    std::string real = root_ + join(at) + (at.empty() ? "" : "/") + part;
    struct stat st;
    if (::lstat(real.c_str(), &st) != 0) return {};  // dangling inside the root: nothing to reach
    if (!S_ISLNK(st.st_mode)) {
      at.push_back(std::move(part));
      continue;
    }
    if (++hops > kMaxLinkHops) return refused(shown, "too many levels of symbolic links");
    char buf[PATH_MAX];
    ssize_t n = ::readlink(real.c_str(), buf, sizeof buf - 1);
    if (n < 0) return refused(shown, std::string("cannot read link: ") + std::strerror(errno));
    std::string target(buf, static_cast<std::size_t>(n));
    if (target.front() == '/') {
      // Our absolute targets all start with the root (add() puts them there).
      if (target.compare(0, root_.size(), root_) != 0) return refused(shown, "points outside the job's root");
      target = target.substr(root_.size());
      at.clear();
    }
    auto parts = path_components(target);
    pending.insert(pending.begin(), parts.begin(), parts.end());
  }
  return {};
}

}  // namespace dcc
