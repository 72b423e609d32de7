// distcc-config's command line (Gentoo's interface): one --command, then its values. Pure.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace dcc {

enum class ConfigAction {
  help,
  get_hosts,
  set_hosts,
  get_verbose,
  set_verbose,
  get_log,
  set_log,
  get_env,
  set_env,
  update_masquerade,
  update_masquerade_with_crossdev,
  install,
};

struct ConfigCommand {
  ConfigAction action = ConfigAction::help;
  std::vector<std::string> values;  // --set-hosts: the list; --set-env: VAR VALUE; ...
};

// args excludes argv[0]. No arguments means --help. Errors carry Gentoo's wording, e.g.
// "!!! Error: --x is an invalid option." Only the first argument is a command: a host list may
// itself start with "--randomize".
Result<ConfigCommand> parse_config_args(const std::vector<std::string>& args);

extern const char* const kConfigUsage;

}  // namespace dcc
