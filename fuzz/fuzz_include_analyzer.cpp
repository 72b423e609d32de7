// The include analyzer on a small tree of files made from the fuzz input. The input is split at
// NUL bytes into, in order: main.c (the source), a.h (beside it), inc/b.h, inc/sub/c.h and
// sysinc/d.h; missing ones are empty. The compile is `cc -c main.c -Iinc -include a.h` in that
// directory with sysinc as the compiler's default directory, so quoted, angle, -include,
// #include_next, computed and system includes all have something to find.
//
// The tree lives in one temporary directory per process, rewritten for each input; a fresh
// analyzer per input keeps its caches from hiding the file changes. Inputs mentioning "proc" are
// skipped: an #include of an absolute path or one climbing out with ".." reads the real file
// system, which is harmless except for /proc files such as kmsg (blocks) or kcore (huge).
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/fd_io.h"
#include "common/temp_files.h"
#include "fuzz_support.h"
#include "pump/include_analyzer.h"

namespace {

constexpr std::array<const char*, 5> kFiles = {"main.c", "a.h", "inc/b.h", "inc/sub/c.h", "sysinc/d.h"};

struct Tree {
  dcc::TempDir dir;
  std::string real_path;  // the analyzer reports real paths
};

const Tree& tree() {
  static Tree made = [] {
    auto dir = dcc::TempDir::create("fuzz_include_analyzer", dcc::temp_root(std::getenv("TMPDIR")));
    if (!dir) std::abort();
    for (const char* sub : {"/inc", "/inc/sub", "/sysinc"}) {
      if (::mkdir((dir->path() + sub).c_str(), 0700) != 0) std::abort();
    }
    std::string real = std::filesystem::canonical(dir->path()).string();
    return Tree{std::move(*dir), std::move(real)};
  }();
  return made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dcc;
  std::string_view input = fuzz::as_text(data, size);
  if (input.find("proc") != std::string_view::npos) return 0;
  const std::string& root = tree().dir.path();
  std::size_t start = 0;
  for (const char* name : kFiles) {
    std::size_t end = start > input.size() ? input.size() : input.find('\0', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view body = start < input.size() ? input.substr(start, end - start) : std::string_view();
    // Replaced, not truncated: ext4 flushes a truncated-and-rewritten file to disk on close.
    std::string path = root + "/" + name;
    ::unlink(path.c_str());
    if (!write_file(path, body)) std::abort();
    start = end + 1;
  }
  pump::CompileCommand cmd;
  cmd.compiler = "cc";
  cmd.source = "main.c";
  cmd.language = "c";
  cmd.include_dirs = {"inc"};
  cmd.forced_includes = {"a.h"};
  cmd.macro_defines = {"HDR=<d.h>", "NAME(x)=#x"};
  pump::IncludeAnalyzer analyzer;
  auto analysis = analyzer.analyze(cmd, {root + "/sysinc"}, root);
  if (analysis && analysis->source != tree().real_path + "/main.c") __builtin_trap();
  return 0;
}
