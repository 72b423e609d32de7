// The include server's "client root": a private directory holding, for every file a compile
// needs, an LZO copy at <root><real path>.lzo (compressed once per build, redone only when the
// file's size, mtime or inode change), the symlinks on the way at <root><link path>, and an empty
// marker file in each directory a ".." steps out of (so the server creates it). Paths under it
// are what the include server answers, in distcc 3.4's layout: the root has exactly three path
// components, which the client strips (original_client_path).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/temp_files.h"
#include "pump/include_analyzer.h"

namespace dcc::pump {

class ClientRoot {
 public:
  // Under `base` ($DISTCC_CLIENT_TMP, as in 3.4: a directory of one or two path components) when
  // given, else under /dev/shm when it is a usable directory, else /tmp/<unique>/r.
  static Result<ClientRoot> create(const std::string& base = "");

  const std::string& path() const { return root_; }
  // The answer for one analysis: every path the client must send.
  Result<std::vector<std::string>> materialize(const IncludeAnalysis& analysis);

  int compressions() const { return compressions_; }

 private:
  struct Stamp {
    off_t size = 0;
    time_t mtime_sec = 0;
    long mtime_nsec = 0;
    ino_t inode = 0;
    bool operator==(const Stamp&) const = default;
  };
  ClientRoot(TempDir dir, std::string root) : dir_(std::move(dir)), root_(std::move(root)) {}
  Result<std::string> compressed_copy(const std::string& file);
  Result<std::string> link_copy(const SymlinkEntry& link);
  Result<std::string> directory_marker(const std::string& dir);

  TempDir dir_;
  std::string root_;
  std::map<std::string, Stamp> copies_;  // real path -> the stamp its copy was made from
  int compressions_ = 0;
};

// The name of the marker file distcc 3.4's include server uses for directories.
inline constexpr const char* kDirectoryMarker = "forcing_technique_271828";

}  // namespace dcc::pump
