// Each file's include directives, lexed once: entries are keyed by path and shared by identity
// (device + inode), so a header reached through two spellings or symlinks is read once per
// process. Existence checks (the bulk of include resolution) are cached too. Assumes, as 3.4's
// include server does, that headers do not change while one cache lives.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/result.h"
#include "pump/directive_lexer.h"

namespace dcc::pump {

class FileCache {
 public:
  // True when `path` names a regular file (after following symlinks).
  bool is_file(const std::string& path);
  // The directives of the regular file at `path`; stable for the cache's lifetime.
  Result<const FileDirectives*> directives(const std::string& path);
  // How many files were actually opened and lexed (tests and benchmarks check memoization).
  int files_read() const { return files_read_; }

 private:
  struct Stat {
    bool regular = false;
    dev_t dev = 0;
    ino_t ino = 0;
  };
  const Stat& stat_of(const std::string& path);

  std::unordered_map<std::string, Stat> stats_;
  std::unordered_map<std::string, const FileDirectives*> by_path_;
  std::map<std::pair<dev_t, ino_t>, std::unique_ptr<FileDirectives>> by_identity_;
  int files_read_ = 0;
};

}  // namespace dcc::pump
