// distcc-config: Gentoo's configuration helper (host list, env.d settings, masquerade links).
// The environment is read here once; DISTCC_CONFIG_ROOT stages everything under another root.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "common/environment.h"
#include "tools/distcc-config/config_commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto command = dcc::parse_config_args(args);
  if (!command) {
    // Gentoo prints this on stdout.
    std::cout << command.error().message << '\n';
    return 1;
  }
  const dcc::Environment env = dcc::snapshot_environment();
  dcc::ConfigContext context;
  context.root = dcc::lookup_env(env, "DISTCC_CONFIG_ROOT").value_or("/");
  if (context.root.empty()) context.root = "/";
  context.superuser = ::geteuid() == 0;
  context.home = dcc::lookup_env(env, "HOME").value_or("");
  context.distcc_hosts_env = dcc::lookup_env(env, "DISTCC_HOSTS");
  return dcc::run_config_command(*command, context, std::cout, std::cerr);
}
