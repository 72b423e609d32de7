// Times pump include analysis per translation unit (built and run by include_analysis.sh).
// Input: one compile per line, "DIRECTORY<TAB>ARG<TAB>ARG...". Output: one line per TU,
// "fresh_us first_us warm_us files", where fresh = a new analyzer (empty caches) for this TU
// alone, first = one shared analyzer going through the TUs in order (a build's first pass), warm
// = the same analyzer again (every header already analysed). The compiler's default directories
// are asked once per compiler beforehand in every mode: that run is not include analysis.
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "pump/include_analyzer.h"

namespace {

struct Compile {
  std::string dir;
  std::vector<std::string> argv;
  dcc::pump::CompileCommand cmd;
  std::vector<std::string> default_dirs;
};

long long micros_of(dcc::pump::IncludeAnalyzer& analyzer, const Compile& c, std::size_t& files,
                    bool& ok) {
  auto start = std::chrono::steady_clock::now();
  auto result = analyzer.analyze(c.cmd, c.default_dirs, c.dir);
  auto end = std::chrono::steady_clock::now();
  ok = result.ok();
  if (!ok)
    std::cerr << "analysis failed for " << c.cmd.source << ": " << result.error().message << "\n";
  files = ok ? result->files.size() : 0;
  return std::chrono::duration_cast<std::chrono::microseconds>(end - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: include_analysis_driver COMMANDS-FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::vector<Compile> compiles;
  dcc::pump::SystemDirCache system_dirs;
  for (std::string line; std::getline(in, line);) {
    Compile c;
    std::size_t pos = 0;
    std::vector<std::string> fields;
    while (pos <= line.size()) {
      std::size_t tab = line.find('\t', pos);
      if (tab == std::string::npos) tab = line.size();
      fields.push_back(line.substr(pos, tab - pos));
      pos = tab + 1;
    }
    if (fields.size() < 3) continue;
    c.dir = fields[0];
    c.argv.assign(fields.begin() + 1, fields.end());
    auto cmd = dcc::pump::parse_compile_command(c.argv);
    if (!cmd) {
      std::cerr << cmd.error().message << "\n";
      return 1;
    }
    c.cmd = *cmd;
    auto dirs = system_dirs.get(c.cmd.compiler, c.cmd.language, c.cmd.default_dir_flags);
    if (!dirs) {
      std::cerr << dirs.error().message << "\n";
      return 1;
    }
    c.default_dirs = *dirs;
    compiles.push_back(std::move(c));
  }
  std::vector<long long> fresh(compiles.size()), first(compiles.size()), warm(compiles.size());
  std::vector<std::size_t> files(compiles.size());
  bool all_ok = true;
  for (std::size_t i = 0; i < compiles.size(); ++i) {
    dcc::pump::IncludeAnalyzer analyzer;
    bool ok = false;
    fresh[i] = micros_of(analyzer, compiles[i], files[i], ok);
    all_ok = all_ok && ok;
  }
  dcc::pump::IncludeAnalyzer shared;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < compiles.size(); ++i) {
      bool ok = false;
      std::size_t n = 0;
      (pass == 0 ? first : warm)[i] = micros_of(shared, compiles[i], n, ok);
      all_ok = all_ok && ok && n == files[i];
    }
  }
  auto stats = shared.stats();
  std::cerr << "shared analyzer: " << stats.files_read << " files read, " << stats.nodes_expanded
            << " (file, context) nodes analysed, " << stats.resolutions << " include resolutions\n";
  for (std::size_t i = 0; i < compiles.size(); ++i) {
    std::cout << fresh[i] << " " << first[i] << " " << warm[i] << " " << files[i] << "\n";
  }
  return all_ok ? 0 : 1;
}
