#include "tools/distcc-config/config_args.h"

#include <array>

namespace dcc {

const char* const kConfigUsage =
    "Usage: distcc-config --COMMAND [VALUE...]\n"
    "\n"
    "  --get-hosts                        print the host list in effect\n"
    "  --set-hosts \"HOST...\"              set the host list (root: /etc/distcc/hosts,\n"
    "                                     others: ~/.distcc/hosts); checked before writing\n"
    "  --get-verbose                      print DISTCC_VERBOSE from /etc/env.d/02distcc\n"
    "  --set-verbose {0|1}                set DISTCC_VERBOSE there\n"
    "  --get-log                          print DISTCC_LOG from /etc/env.d/02distcc\n"
    "  --set-log FILE                     set DISTCC_LOG there\n"
    "  --get-env [VAR]                    print /etc/env.d/02distcc, or VAR's value\n"
    "  --set-env VAR VALUE                set VAR there (then env-update runs, if installed)\n"
    "  --update-masquerade                link every installed compiler in /usr/lib/distcc\n"
    "  --update-masquerade-with-crossdev  link only <triple>-prefixed compiler names\n"
    "  --install                          --update-masquerade and create an empty hosts file\n"
    "  --help                             print this help\n"
    "\n"
    "DISTCC_CONFIG_ROOT=DIR makes every system path relative to DIR (staging trees, tests).\n";

namespace {

struct ActionSpec {
  const char* option;
  ConfigAction action;
  size_t min_values;
  size_t max_values;
  const char* values_help;  // for the "needs" message
};

constexpr std::array<ActionSpec, 12> kActions = {{
    {"--help", ConfigAction::help, 0, 0, ""},
    {"--get-hosts", ConfigAction::get_hosts, 0, 0, ""},
    {"--set-hosts", ConfigAction::set_hosts, 1, 1, "a host list"},
    {"--get-verbose", ConfigAction::get_verbose, 0, 0, ""},
    {"--set-verbose", ConfigAction::set_verbose, 1, 1, "0 or 1"},
    {"--get-log", ConfigAction::get_log, 0, 0, ""},
    {"--set-log", ConfigAction::set_log, 1, 1, "a file name"},
    {"--get-env", ConfigAction::get_env, 0, 1, "at most one variable name"},
    {"--set-env", ConfigAction::set_env, 2, 2, "a variable name and a value"},
    {"--update-masquerade", ConfigAction::update_masquerade, 0, 0, ""},
    {"--update-masquerade-with-crossdev", ConfigAction::update_masquerade_with_crossdev, 0, 0, ""},
    {"--install", ConfigAction::install, 0, 0, ""},
}};

Error error(const std::string& message) {
  return make_error(ExitCode::bad_arguments, "!!! Error: " + message);
}

}  // namespace

Result<ConfigCommand> parse_config_args(const std::vector<std::string>& args) {
  if (args.empty()) return ConfigCommand{};
  for (const auto& spec : kActions) {
    if (args[0] != spec.option) continue;
    std::vector<std::string> values(args.begin() + 1, args.end());
    if (values.size() < spec.min_values || values.size() > spec.max_values) {
      if (spec.max_values == 0) return error(args[0] + " takes no value.");
      return error(args[0] + " needs " + spec.values_help + ".");
    }
    if (spec.action == ConfigAction::set_verbose && values[0] != "0" && values[0] != "1") {
      return error("--set-verbose needs 0 or 1.");
    }
    return ConfigCommand{spec.action, std::move(values)};
  }
  return error(args[0] + " is an invalid option.");
}

}  // namespace dcc
