// What a server must recreate so that a path the compiler opens here opens the same file in its
// mirror: the file at its real location, every symlink met along the way (with its target, as
// written), and every directory that a `..` steps out of (it must exist for `..` to work).
// A symlinked include directory is thus kept as a link, not canonicalized away.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace dcc::pump {

struct SymlinkEntry {
  std::string path;    // absolute path of the link
  std::string target;  // readlink(2) of it
  bool operator==(const SymlinkEntry&) const = default;
  bool operator<(const SymlinkEntry& o) const {
    return path != o.path ? path < o.path : target < o.target;
  }
};

struct MirrorEntries {
  std::string real_path;                 // where the bytes live, no symlinks and no `..`
  std::vector<SymlinkEntry> links;       // in the order they are met
  std::vector<std::string> directories;  // directories a `..` leaves
};

class PathMirror {
 public:
  // `path` must be absolute. Fails on a symlink loop (more than 40 links, as the kernel).
  Result<MirrorEntries> expand(const std::string& path);

 private:
  const std::optional<std::string>& link_of(const std::string& path);
  std::unordered_map<std::string, std::optional<std::string>> links_;  // lstat+readlink cache
};

}  // namespace dcc::pump
