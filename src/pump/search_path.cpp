#include "pump/search_path.h"

#include <algorithm>

#include "pump/system_dirs.h"

namespace dcc::pump {

std::string absolute_path(const std::string& path, const std::string& cwd) {
  std::string out = !path.empty() && path.front() == '/'
                        ? path
                        : (path.empty() || path == "." ? cwd : cwd + "/" + path);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string SearchPath::key() const {
  std::string key = std::to_string(angle_start) + (search_includer_dir ? "+" : "-");
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    key += '\0';
    key += is_default[i] ? 'S' : 'U';
    key += dirs[i];
  }
  return key;
}

SearchPath build_search_path(const CompileCommand& cmd,
                             const std::vector<std::string>& default_dirs, const std::string& cwd) {
  SearchPath path;
  path.search_includer_dir = !cmd.no_current_dir;
  for (const auto& dir : default_dirs) path.default_dirs.push_back(normalize_lexically(dir));
  auto is_default_dir = [&](const std::string& dir) {
    return std::find(path.default_dirs.begin(), path.default_dirs.end(),
                     normalize_lexically(dir)) != path.default_dirs.end();
  };
  auto add = [&](const std::string& dir, bool is_default) {
    std::string abs = absolute_path(dir, cwd);
    // A directory already in the chain keeps its first place (gcc drops later duplicates).
    for (std::size_t i = path.angle_start; i < path.dirs.size(); ++i) {
      if (path.dirs[i] == abs) return;
    }
    path.dirs.push_back(abs);
    path.is_default.push_back(is_default);
  };
  for (const auto& dir : cmd.quote_dirs) add(dir, false);
  path.angle_start = path.dirs.size();
  for (const auto* group : {&cmd.include_dirs, &cmd.isystem_dirs}) {
    for (const auto& dir : *group) {
      if (!is_default_dir(absolute_path(dir, cwd))) add(dir, false);
    }
  }
  for (const auto& dir : default_dirs) add(dir, true);
  for (const auto& dir : cmd.after_dirs) {
    if (!is_default_dir(absolute_path(dir, cwd))) add(dir, false);
  }
  return path;
}

}  // namespace dcc::pump
