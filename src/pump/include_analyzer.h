// Which files a compile reads, worked out without running the preprocessor: a conservative
// over-approximation (every #include on both sides of every #if, every value a computed include
// could take). One analyzer is meant to live for a whole build: files are lexed once
// (FileCache), include resolutions are memoized per search chain, and each header's edges are
// computed once per distinct include context (search chain + the directory it was found in), so
// a warm analysis of a TU is a walk over cached edges.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "pump/compile_command.h"
#include "pump/file_cache.h"
#include "pump/macro_expander.h"
#include "pump/path_mirror.h"
#include "pump/search_path.h"
#include "pump/system_dirs.h"

namespace dcc::pump {

struct IncludeAnalysis {
  std::string source;                    // real path of the source file (also in `files`)
  std::vector<std::string> files;        // real paths of everything to send, sorted
  std::vector<SymlinkEntry> symlinks;    // links on the way to them, sorted
  std::vector<std::string> directories;  // directories a `..` needs, sorted
  std::vector<std::string> system_dirs;  // the compiler's default directories (not sent)
};

struct AnalyzerStats {
  int files_read = 0;      // files opened and lexed
  int nodes_expanded = 0;  // (file, include context) pairs whose includes were resolved
  int resolutions = 0;     // include names resolved without the memo
};

class IncludeAnalyzer {
 public:
  IncludeAnalyzer() = default;
  explicit IncludeAnalyzer(SystemDirCache::Runner runner) : system_dirs_(std::move(runner)) {}

  // Analyses a compile command run in `cwd` (absolute). Fails with a one-line reason (for
  // DISTCC_VERBOSE) when it cannot be sure: unsupported options, unreadable files, macro blow-up.
  Result<IncludeAnalysis> analyze(std::span<const std::string> argv, const std::string& cwd);

  // The same with the compiler's default directories given (no compiler run).
  Result<IncludeAnalysis> analyze(const CompileCommand& cmd,
                                  const std::vector<std::string>& default_dirs,
                                  const std::string& cwd);

  AnalyzerStats stats() const;

 private:
  struct Node {
    std::uint32_t context = 0;
    int found = -1;       // index in the chain where it was found; -1: not via the chain
    std::string path;     // absolute, as the compiler opens it
    std::string dir;      // its directory, for "..." includes
    bool system = false;  // under a compiler default directory: not sent
    bool expanded = false;
    std::vector<std::uint32_t> children;
    std::vector<const IncludeDirective*> computed;
    const FileDirectives* directives = nullptr;
  };
  struct Found {
    std::string path;
    int index = -1;
  };

  std::uint32_t context_id(SearchPath path);
  std::uint32_t node_id(std::uint32_t context, int found, const std::string& path);
  Status expand(std::uint32_t id);
  std::optional<Found> resolve(std::uint32_t context, const std::string& includer_dir,
                               int includer_found, IncludeKind kind, IncludeForm form,
                               const std::string& name);
  std::optional<Found> search(std::uint32_t context, const std::string& includer_dir, bool quoted,
                              std::size_t start, const std::string& name);
  Status walk(std::vector<std::uint32_t> roots, const std::vector<std::string>& defines,
              std::vector<std::uint32_t>& reached);
  Result<IncludeAnalysis> report(const std::vector<std::uint32_t>& reached,
                                 std::uint32_t source_node, const SearchPath& path);

  SystemDirCache system_dirs_;
  FileCache files_;
  PathMirror mirror_;
  std::vector<SearchPath> contexts_;
  std::unordered_map<std::string, std::uint32_t> context_ids_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, std::uint32_t> node_ids_;
  std::unordered_map<std::string, std::optional<Found>> resolved_;
  int resolutions_ = 0;
  int nodes_expanded_ = 0;
};

}  // namespace dcc::pump
