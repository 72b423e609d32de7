#include "tools/monitor/state_dir.h"

namespace dcc::monitor {

std::string state_dir_from_env(const Environment& env) {
  std::string dir;
  if (auto value = lookup_env(env, "DISTCC_DIR"); value && !value->empty()) {
    dir = *value;
  } else {
    dir = lookup_env(env, "HOME").value_or("/") + "/.distcc";
  }
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + "/state";
}

}  // namespace dcc::monitor
