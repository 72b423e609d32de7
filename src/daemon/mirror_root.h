// The per-job directory tree of a protocol 3 (pump mode) job: the client's files, links and
// working directory recreated under a private root, so the compiler finds every header at
// <root><client path>.
//
// Confinement, whatever the client sends:
//  * Nothing is ever created outside the root. Names must be absolute, without "..", and every
//    directory on the way is opened with O_NOFOLLOW relative to the root's descriptor, so a name
//    that would pass through a symlink (one the client sent earlier) is refused instead of
//    followed. A name sent twice is refused (files are created with O_EXCL).
//  * Links may point anywhere inside the root. Pointing outside is refused, except into the
//    policy's system directories: distcc 3.4's include server sends links such as
//    usr/include -> ../../../../usr/include so that -I/usr/include/... still finds the server's
//    own system headers, which the compiler reads anyway. Links are checked after all entries
//    have arrived (check_links), by resolving them through the finished tree the way the kernel
//    will, so the order in which entries arrive cannot be used to escape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/pump_request.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace dcc {

struct MirrorPolicy {
  // Real directories outside the root that a link may lead into.
  std::vector<std::string> system_dirs = {"/usr/include", "/usr/local/include", "/usr/lib/gcc", "/usr/lib/clang"};
};

// "/a//b/./c" -> {"a", "b", "c"}. Refuses relative paths and "..".
Result<std::vector<std::string>> mirror_components(std::string_view client_path);

// Lexically normalises an absolute path ("/a/b/../c" -> "/a/c"; ".." at "/" stays at "/").
std::string normalize_absolute(std::string_view path);

// Whether `path` (absolute, normalised) is one of `dirs` or below one of them.
bool is_within(std::string_view path, const std::vector<std::string>& dirs);

class MirrorRoot {
 public:
  // Uses the existing, empty, private directory `dir` as the root.
  static Result<MirrorRoot> open(const std::string& dir);

  const std::string& path() const { return root_; }
  // Where a client path lives on this server.
  std::string server_path(std::string_view client_path) const { return root_ + std::string(client_path); }

  Status add(const PumpEntry& entry);
  // Creates the directory (and its parents) for a client path, e.g. the job's working directory.
  Result<std::string> make_directory(std::string_view client_path);
  Status check_links(const MirrorPolicy& policy) const;

  std::size_t files() const { return files_; }

 private:
  MirrorRoot(UniqueFd fd, std::string root) : root_fd_(std::move(fd)), root_(std::move(root)) {}
  // The directory holding the last component, created as needed, never through a symlink.
  Result<UniqueFd> open_parent(const std::vector<std::string>& components, std::string_view client_path) const;
  Status check_link(const std::string& client_path, const MirrorPolicy& policy) const;

  UniqueFd root_fd_;
  std::string root_;                // real path, no symlinks, no trailing slash
  std::vector<std::string> links_;  // client paths of the links created
  std::size_t files_ = 0;
};

}  // namespace dcc
