#include "tools/update-distcc-symlinks/masquerade_update.h"

#include "tools/update-distcc-symlinks/link_apply.h"
#include "tools/update-distcc-symlinks/masquerade_scan.h"

namespace dcc {

Result<LinkPlan> update_masquerade(const MasqueradeRequest& request, std::ostream* verbose) {
  auto inputs = scan_compilers(request.root, request.bin_dir);
  if (!inputs) return inputs.error();
  std::set<std::string> wanted = masquerade_names(*inputs);
  if (request.crossdev_only) wanted = triple_prefixed_names(wanted, inputs->gcc_targets);
  if (auto st = ensure_directory(request.masquerade_dir); !st) return st.error();
  auto existing = read_masquerade_dir(request.root, request.masquerade_dir);
  if (!existing) return existing.error();
  LinkPlan plan = plan_links(*existing, wanted, inputs->bin_executables,
                             PlanRules{.prune_unwanted = request.crossdev_only});
  if (auto st = apply_plan(plan, request.masquerade_dir, request.link_target, verbose); !st)
    return st.error();
  return plan;
}

}  // namespace dcc
