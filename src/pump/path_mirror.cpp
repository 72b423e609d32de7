#include "pump/path_mirror.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>

#include "common/path_components.h"

namespace dcc::pump {
namespace {

void push_components_front(std::deque<std::string>& parts, const std::string& path) {
  auto pieces = path_components(path);
  parts.insert(parts.begin(), pieces.begin(), pieces.end());
}

std::string parent_of(const std::string& resolved) {
  auto slash = resolved.rfind('/');
  return slash == std::string::npos ? std::string() : resolved.substr(0, slash);
}

}  // namespace

const std::optional<std::string>& PathMirror::link_of(const std::string& path) {
  auto it = links_.find(path);
  if (it != links_.end()) return it->second;
  std::optional<std::string> target;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
    if (n > 0) target = std::string(buf, static_cast<std::size_t>(n));
  }
  return links_.emplace(path, std::move(target)).first->second;
}

Result<MirrorEntries> PathMirror::expand(const std::string& path) {
  MirrorEntries out;
  std::deque<std::string> parts;
  push_components_front(parts, path);
  std::string resolved;  // "" is the root
  int followed = 0;
  while (!parts.empty()) {
    std::string part = std::move(parts.front());
    parts.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!resolved.empty()) out.directories.push_back(resolved);
      resolved = parent_of(resolved);
      continue;
    }
    std::string candidate = resolved + "/" + part;
    const auto& target = link_of(candidate);
    if (!target) {
      resolved = std::move(candidate);
      continue;
    }
    if (++followed > 40) {
      return make_error(ExitCode::distcc_failed,
                        "pump: too many levels of symbolic links in " + path);
    }
    out.links.push_back(SymlinkEntry{candidate, *target});
    push_components_front(parts, *target);
    if (target->front() == '/') resolved.clear();
  }
  out.real_path = resolved.empty() ? "/" : resolved;
  return out;
}

}  // namespace dcc::pump
