#include "tools/distcc-config/config_paths.h"

#include "tools/update-distcc-symlinks/masquerade_scan.h"

namespace dcc {

ConfigPaths config_paths(const ConfigContext& context) {
  auto at = [&](const char* path) { return under_root(context.root, path); };
  ConfigPaths paths;
  paths.system_hosts = at("/etc/distcc/hosts");
  paths.user_hosts = (context.home.empty() ? std::string(".") : context.home) + "/.distcc/hosts";
  paths.hosts_to_write = context.superuser ? paths.system_hosts : paths.user_hosts;
  paths.env_file = at("/etc/env.d/02distcc");
  paths.masquerade_dir = at("/usr/lib/distcc");
  paths.bin_dir = at("/usr/bin");
  paths.env_update = {at("/usr/sbin/env-update"), at("/usr/bin/env-update")};
  return paths;
}

}  // namespace dcc
