#include "pump/system_dirs.h"

#include <sys/wait.h>

#include "common/child_process.h"

namespace dcc::pump {

std::string normalize_lexically(std::string_view path) {
  bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(pos, end - pos);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    pos = end + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

std::vector<std::string> parse_default_include_dirs(std::string_view text) {
  std::vector<std::string> dirs;
  constexpr std::string_view kStart = "#include <...> search starts here:";
  std::size_t pos = text.find(kStart);
  if (pos == std::string_view::npos) return dirs;
  pos = text.find('\n', pos);
  while (pos != std::string_view::npos && pos + 1 < text.size()) {
    std::size_t end = text.find('\n', pos + 1);
    std::string_view line =
        text.substr(pos + 1, (end == std::string_view::npos ? text.size() : end) - pos - 1);
    pos = end;
    if (line.empty() || line.front() != ' ') break;  // "End of search list."
    line.remove_prefix(1);
    if (line.find(" (framework directory)") != std::string_view::npos) continue;
    dirs.push_back(normalize_lexically(line));
  }
  return dirs;
}

SystemDirCache::SystemDirCache()
    : runner_([](const std::vector<std::string>& argv) -> Result<std::string> {
        auto run = run_capture(argv);
        if (!run) return run.error();
        if (exit_code_of(run->wait_status) != 0) {
          return make_error(ExitCode::distcc_failed,
                            "pump: " + argv.front() + " -E -v failed with exit code " +
                                std::to_string(exit_code_of(run->wait_status)));
        }
        return std::move(run->err);
      }) {}

Result<std::vector<std::string>> SystemDirCache::get(const std::string& compiler,
                                                     const std::string& language,
                                                     const std::vector<std::string>& flags) {
  std::vector<std::string> argv{compiler, "-x", language};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-E", "-v", "/dev/null", "-o", "/dev/null"});
  std::string key;
  for (const auto& word : argv) key += word + '\0';
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  ++queries_;
  auto output = runner_(argv);
  if (!output) return output.error();
  auto dirs = parse_default_include_dirs(*output);
  if (dirs.empty() && output->find("search starts here") == std::string::npos) {
    return make_error(ExitCode::distcc_failed,
                      "pump: " + compiler + " -v did not list its include directories");
  }
  cache_.emplace(key, dirs);
  return dirs;
}

}  // namespace dcc::pump
