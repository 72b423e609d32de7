// Where distcc-config reads and writes, from who runs it and the staging root. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dcc {

struct ConfigContext {
  std::string root = "/";  // DISTCC_CONFIG_ROOT
  bool superuser = false;  // uid 0 writes the system hosts file
  std::string home;        // $HOME: the per-user hosts file lives in $HOME/.distcc
  std::optional<std::string> distcc_hosts_env;  // DISTCC_HOSTS, shown first by --get-hosts
};

struct ConfigPaths {
  std::string system_hosts;    // ROOT/etc/distcc/hosts
  std::string user_hosts;      // $HOME/.distcc/hosts (not under ROOT: it is the caller's own)
  std::string hosts_to_write;  // system_hosts for root, user_hosts for everybody else
  std::string env_file;        // ROOT/etc/env.d/02distcc
  std::string masquerade_dir;  // ROOT/usr/lib/distcc
  std::string bin_dir;         // ROOT/usr/bin
  std::vector<std::string> env_update;  // where Gentoo's env-update may be, first found runs
};

ConfigPaths config_paths(const ConfigContext& context);

}  // namespace dcc
