// The compiler's default include directories, asked of the compiler itself
// (`cc -x LANG FLAGS -E -v /dev/null`), cached per (compiler, language, flags). Headers under
// these directories are not sent: the server's compiler has its own.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace dcc::pump {

// The directories listed after `#include <...> search starts here:` in `-v` output, in order,
// lexically normalized ("a/b/../c" -> "a/c"); framework directories are skipped.
std::vector<std::string> parse_default_include_dirs(std::string_view verbose_output);

// "/a/./b/../c/" -> "/a/c". Purely lexical (no symlinks are followed); keeps a leading "..".
std::string normalize_lexically(std::string_view path);

class SystemDirCache {
 public:
  // Runs argv and returns what it wrote to stderr; replaced in tests by a fake.
  using Runner = std::function<Result<std::string>(const std::vector<std::string>& argv)>;
  SystemDirCache();
  explicit SystemDirCache(Runner runner) : runner_(std::move(runner)) {}

  Result<std::vector<std::string>> get(const std::string& compiler, const std::string& language,
                                       const std::vector<std::string>& flags);
  int queries() const { return queries_; }  // compiler runs so far (tests check the caching)

 private:
  Runner runner_;
  std::map<std::string, std::vector<std::string>> cache_;
  int queries_ = 0;
};

}  // namespace dcc::pump
