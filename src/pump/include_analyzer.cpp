#include "pump/include_analyzer.h"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace dcc::pump {
namespace {

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

bool under(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

Error give_up(const std::string& why) {
  return make_error(ExitCode::distcc_failed, "pump: " + why);
}

}  // namespace

std::uint32_t IncludeAnalyzer::context_id(SearchPath path) {
  std::string key = path.key();
  auto it = context_ids_.find(key);
  if (it != context_ids_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(contexts_.size());
  contexts_.push_back(std::move(path));
  context_ids_.emplace(std::move(key), id);
  return id;
}

std::uint32_t IncludeAnalyzer::node_id(std::uint32_t context, int found, const std::string& path) {
  std::string key = std::to_string(context) + '\0' + std::to_string(found) + '\0' + path;
  auto it = node_ids_.find(key);
  if (it != node_ids_.end()) return it->second;
  const SearchPath& chain = contexts_[context];
  Node node;
  node.context = context;
  node.found = found;
  node.path = path;
  node.dir = dir_of(path);
  node.system = found >= 0 && chain.is_default[static_cast<std::size_t>(found)];
  if (!node.system) {
    std::string normal = normalize_lexically(path);
    node.system = std::any_of(chain.default_dirs.begin(), chain.default_dirs.end(),
                              [&](const std::string& dir) { return under(normal, dir); });
  }
  auto id = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back(std::move(node));
  node_ids_.emplace(std::move(key), id);
  return id;
}

std::optional<IncludeAnalyzer::Found> IncludeAnalyzer::search(std::uint32_t context,
                                                              const std::string& includer_dir,
                                                              bool quoted, std::size_t start,
                                                              const std::string& name) {
  std::string key = std::to_string(context) + '\0' + (quoted ? includer_dir : std::string()) +
                    '\0' + std::to_string(start) + '\0' + name;
  auto it = resolved_.find(key);
  if (it != resolved_.end()) return it->second;
  ++resolutions_;
  std::optional<Found> result;
  const SearchPath& chain = contexts_[context];
  if (quoted && !includer_dir.empty() && files_.is_file(join(includer_dir, name))) {
    result = Found{join(includer_dir, name), -1};
  }
  for (std::size_t i = start; !result && i < chain.dirs.size(); ++i) {
    std::string candidate = join(chain.dirs[i], name);
    if (files_.is_file(candidate)) result = Found{candidate, static_cast<int>(i)};
  }
  resolved_.emplace(std::move(key), result);
  return result;
}

std::optional<IncludeAnalyzer::Found> IncludeAnalyzer::resolve(std::uint32_t context,
                                                               const std::string& includer_dir,
                                                               int includer_found, IncludeKind kind,
                                                               IncludeForm form,
                                                               const std::string& name) {
  if (!name.empty() && name.front() == '/') {
    if (!files_.is_file(name)) return std::nullopt;
    return Found{name, -1};
  }
  const SearchPath& chain = contexts_[context];
  bool next = kind == IncludeKind::include_next || kind == IncludeKind::has_include_next;
  if (next && includer_found >= 0) {
    return search(context, "", false, static_cast<std::size_t>(includer_found) + 1, name);
  }
  if (form == IncludeForm::quoted) {
    return search(context, chain.search_includer_dir ? includer_dir : std::string(), true, 0, name);
  }
  return search(context, "", false, chain.angle_start, name);
}

Status IncludeAnalyzer::expand(std::uint32_t id) {
  auto directives = files_.directives(nodes_[id].path);
  if (!directives) return directives.error();
  ++nodes_expanded_;
  const std::uint32_t context = nodes_[id].context;
  const std::string dir = nodes_[id].dir;
  const int found = nodes_[id].found;
  std::vector<std::uint32_t> children;
  std::vector<const IncludeDirective*> computed;
  for (const auto& include : (*directives)->includes) {
    if (include.form == IncludeForm::computed) {
      computed.push_back(&include);
      continue;
    }
    // A header that is not found is fine: it may sit in a branch the compiler never takes.
    if (auto hit = resolve(context, dir, found, include.kind, include.form, include.name)) {
      children.push_back(node_id(context, hit->index, hit->path));
    }
  }
  Node& node = nodes_[id];
  node.directives = *directives;
  node.children = std::move(children);
  node.computed = std::move(computed);
  node.expanded = true;
  return {};
}

Status IncludeAnalyzer::walk(std::vector<std::uint32_t> stack,
                             const std::vector<std::string>& defines,
                             std::vector<std::uint32_t>& reached) {
  std::unordered_set<std::uint32_t> seen(stack.begin(), stack.end());
  std::vector<MacroDefinition> command_line;
  for (const auto& operand : defines) {
    auto def = definition_from_command_line(operand);
    if (!def.name.empty()) command_line.push_back(std::move(def));
  }
  for (;;) {
    while (!stack.empty()) {
      std::uint32_t id = stack.back();
      stack.pop_back();
      reached.push_back(id);
      if (!nodes_[id].expanded) {
        if (auto status = expand(id); !status) return status;
      }
      for (std::uint32_t child : nodes_[id].children) {
        if (seen.insert(child).second) stack.push_back(child);
      }
    }
    // Computed includes: expanded with every definition from every file reached so far, which
    // may reach new files with new definitions, so repeat until nothing new appears.
    bool any_computed = std::any_of(reached.begin(), reached.end(),
                                    [&](std::uint32_t id) { return !nodes_[id].computed.empty(); });
    if (!any_computed) return {};
    MacroTable macros;
    std::unordered_set<const FileDirectives*> counted;
    for (const auto& def : command_line) macros[def.name].push_back(&def);
    for (std::uint32_t id : reached) {
      if (!counted.insert(nodes_[id].directives).second) continue;
      for (const auto& def : nodes_[id].directives->defines) macros[def.name].push_back(&def);
    }
    for (std::size_t r = 0; r < reached.size(); ++r) {
      std::uint32_t id = reached[r];
      for (const IncludeDirective* include : nodes_[id].computed) {
        auto candidates = expand_include_operand(include->tokens, macros);
        if (!candidates)
          return Error{candidates.error().code,
                       candidates.error().message + " in " + nodes_[id].path};
        for (const auto& candidate : *candidates) {
          const Node& node = nodes_[id];
          auto hit = resolve(node.context, node.dir, node.found, include->kind, candidate.form,
                             candidate.name);
          if (!hit) continue;
          std::uint32_t child = node_id(nodes_[id].context, hit->index, hit->path);
          if (seen.insert(child).second) stack.push_back(child);
        }
      }
    }
    if (stack.empty()) return {};
  }
}

Result<IncludeAnalysis> IncludeAnalyzer::report(const std::vector<std::uint32_t>& reached,
                                                std::uint32_t source_node, const SearchPath& path) {
  std::set<std::string> files;
  std::set<SymlinkEntry> links;
  std::set<std::string> directories;
  IncludeAnalysis out;
  for (std::uint32_t id : reached) {
    const Node& node = nodes_[id];
    if (node.system && id != source_node) continue;
    auto entries = mirror_.expand(node.path);
    if (!entries) return entries.error();
    files.insert(entries->real_path);
    links.insert(entries->links.begin(), entries->links.end());
    directories.insert(entries->directories.begin(), entries->directories.end());
    if (id == source_node) out.source = entries->real_path;
  }
  out.files.assign(files.begin(), files.end());
  out.symlinks.assign(links.begin(), links.end());
  out.directories.assign(directories.begin(), directories.end());
  out.system_dirs = path.default_dirs;
  return out;
}

Result<IncludeAnalysis> IncludeAnalyzer::analyze(const CompileCommand& cmd,
                                                 const std::vector<std::string>& default_dirs,
                                                 const std::string& cwd) {
  std::uint32_t context = context_id(build_search_path(cmd, default_dirs, cwd));
  std::string source = absolute_path(cmd.source, cwd);
  if (!files_.is_file(source)) return give_up("cannot read source file " + cmd.source);
  // -imacros, then -include files, then the source: gcc looks for them in the working directory
  // first, then along the "..." chain.
  std::vector<std::uint32_t> roots;
  for (const auto* group : {&cmd.imacros, &cmd.forced_includes}) {
    for (const auto& name : *group) {
      std::optional<Found> hit;
      std::string here = absolute_path(name, cwd);
      if (files_.is_file(here)) {
        hit = Found{here, -1};
      } else {
        hit = search(context, "", false, 0, name);
      }
      if (!hit) return give_up("cannot find " + name + " (given with -include or -imacros)");
      roots.push_back(node_id(context, hit->index, hit->path));
    }
  }
  std::uint32_t source_node = node_id(context, -1, source);
  roots.push_back(source_node);
  std::reverse(roots.begin(), roots.end());
  std::vector<std::uint32_t> reached;
  if (auto status = walk(roots, cmd.macro_defines, reached); !status) return status.error();
  return report(reached, source_node, contexts_[context]);
}

Result<IncludeAnalysis> IncludeAnalyzer::analyze(std::span<const std::string> argv,
                                                 const std::string& cwd) {
  auto cmd = parse_compile_command(argv);
  if (!cmd) return cmd.error();
  auto dirs = system_dirs_.get(cmd->compiler, cmd->language, cmd->default_dir_flags);
  if (!dirs) return dirs.error();
  return analyze(*cmd, *dirs, cwd);
}

AnalyzerStats IncludeAnalyzer::stats() const {
  return AnalyzerStats{files_.files_read(), nodes_expanded_, resolutions_};
}

}  // namespace dcc::pump
