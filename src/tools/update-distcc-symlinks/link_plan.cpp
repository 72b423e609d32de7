#include "tools/update-distcc-symlinks/link_plan.h"

#include <algorithm>

namespace dcc {

bool points_to_distcc(const std::string& link_target) {
  std::string_view t = link_target;
  while (t.size() > 1 && t.back() == '/') t.remove_suffix(1);
  auto slash = t.rfind('/');
  return (slash == std::string_view::npos ? t : t.substr(slash + 1)) == "distcc";
}

LinkPlan plan_links(const std::vector<LinkEntry>& existing, const std::set<std::string>& wanted,
                    const std::set<std::string>& bin_executables, PlanRules rules) {
  LinkPlan plan;
  std::set<std::string> kept;
  for (const auto& entry : existing) {
    bool stale = false;
    if (entry.is_symlink && entry.dangling) {
      stale = true;
    } else if (entry.is_symlink && entry.to_directory) {
      // A link to a directory (bin -> . or bin -> /usr/lib/distcc) is Portage's PATH entry, not
      // a compiler, even when its target's name is "distcc".
    } else if (entry.is_symlink && points_to_distcc(entry.target)) {
      stale =
          !bin_executables.count(entry.name) || (rules.prune_unwanted && !wanted.count(entry.name));
    }
    if (stale) {
      plan.remove.push_back(entry.name);
    } else {
      kept.insert(entry.name);
    }
  }
  for (const auto& name : wanted) {
    if (!kept.count(name)) plan.create.push_back(name);
  }
  std::sort(plan.remove.begin(), plan.remove.end());
  return plan;
}

}  // namespace dcc
