// Which host list applies: distcc 3.4's source precedence (hosts.c dcc_get_hostlist), as a pure
// decision over an environment snapshot and a file-reading callback.
//
//   1. DISTCC_HOSTS, if it is set at all (even empty: an empty list, not a fallback);
//   2. $DISTCC_DIR/hosts (DISTCC_DIR defaults to ~/.distcc), if it exists and is readable;
//   3. the system file, /etc/distcc/hosts.
// The first that exists wins; lists are never merged.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace dcc {

struct HostSourceInputs {
  std::optional<std::string> env_hosts;  // DISTCC_HOSTS if set, even empty
  std::string distcc_dir;                // resolved $DISTCC_DIR or $HOME/.distcc; empty = unknown
  std::string system_hosts_file = "/etc/distcc/hosts";
};

// Returns the file's contents, or nullopt if it is missing or unreadable.
using ReadFile = std::function<std::optional<std::string>(const std::string& path)>;

struct HostSourceText {
  std::string source_name;  // "DISTCC_HOSTS" or the file's path: parse_hosts' source_name
  std::string text;
};

// The host list text and where it came from, or nullopt when there is no list at all (3.4 then
// warns "no hostlist is set; can't distribute work" and runs every job locally).
std::optional<HostSourceText> find_host_list(const HostSourceInputs& inputs,
                                             const ReadFile& read_file);

// "$distcc_dir/hosts", without doubling a trailing '/'. Empty if distcc_dir is empty.
std::string user_hosts_path(const std::string& distcc_dir);

}  // namespace dcc
