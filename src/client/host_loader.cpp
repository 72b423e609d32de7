#include "client/host_loader.h"

#include "common/fd_io.h"
#include "common/host_source.h"

namespace dcc {

Result<HostList> load_host_list(const ClientConfig& config) {
  HostSourceInputs inputs;
  inputs.env_hosts = config.hosts_env;
  inputs.distcc_dir = config.distcc_dir;
  inputs.system_hosts_file = config.system_hosts_file;
  auto source = find_host_list(inputs, [](const std::string& path) -> std::optional<std::string> {
    auto text = read_file(path);
    return text ? std::optional<std::string>(std::move(*text)) : std::nullopt;
  });
  if (!source) return make_error(ExitCode::no_hosts, "no hostlist is set; can't distribute work");
  auto list = parse_hosts(source->text, source->source_name);
  if (!list) return list.error();
  if (list->hosts.empty()) {
    return make_error(ExitCode::no_hosts, source->source_name + " contained no hosts; can't distribute work");
  }
  return list;
}

const HostSpec* choose_host(const HostList& hosts) {
  for (const auto& host : hosts.hosts) {
    if (!host.down) return &host;
  }
  return nullptr;
}

}  // namespace dcc
