#include "common/host_source.h"

#include <utility>

namespace dcc {

std::string user_hosts_path(const std::string& distcc_dir) {
  if (distcc_dir.empty()) return {};
  std::string path = distcc_dir;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.back() != '/') path += '/';
  return path + "hosts";
}

std::optional<HostSourceText> find_host_list(const HostSourceInputs& inputs,
                                             const ReadFile& read_file) {
  if (inputs.env_hosts) return HostSourceText{"DISTCC_HOSTS", *inputs.env_hosts};
  for (const std::string& path : {user_hosts_path(inputs.distcc_dir), inputs.system_hosts_file}) {
    if (path.empty()) continue;
    if (std::optional<std::string> text = read_file(path)) {
      return HostSourceText{path, std::move(*text)};
    }
  }
  return std::nullopt;
}

}  // namespace dcc
