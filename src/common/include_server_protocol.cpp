#include "common/include_server_protocol.h"

namespace dcc {
namespace {

constexpr int kClientRootComponents = 3;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void put_argv(ProtocolWriter& out, const std::vector<std::string>& argv) {
  out.put_token("ARGC", static_cast<std::uint32_t>(argv.size()));
  for (const auto& arg : argv) out.put_string("ARGV", arg);
}

}  // namespace

Status send_include_query(ProtocolWriter& out, const IncludeQuery& query) {
  out.put_string("CDIR", query.cwd);
  put_argv(out, query.argv);
  return out.flush();
}

Result<IncludeQuery> receive_include_query(ProtocolReader& in, const ProtocolLimits& limits) {
  IncludeQuery query;
  auto cwd = in.read_string("CDIR", limits.max_cwd_length);
  if (!cwd) return cwd.error();
  query.cwd = std::move(*cwd);
  auto argv = receive_argv(in, limits);
  if (!argv) return argv.error();
  query.argv = std::move(*argv);
  return query;
}

Status send_include_answer(ProtocolWriter& out, const std::vector<std::string>& paths) {
  put_argv(out, paths);
  return out.flush();
}

Result<std::vector<std::string>> receive_include_answer(ProtocolReader& in, const ProtocolLimits& limits) {
  // receive_argv refuses ARGC 0 (a compile always has a compiler); here it is a valid answer.
  auto count = in.expect_token("ARGC");
  if (!count) return count.error();
  if (*count > limits.max_pump_entries) {
    return make_error(ExitCode::protocol_error, "include server named " + std::to_string(*count) +
                                                    " files, more than the limit of " +
                                                    std::to_string(limits.max_pump_entries));
  }
  std::vector<std::string> paths;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto path = in.read_string("ARGV", limits.max_pump_path);
    if (!path) return path.error();
    paths.push_back(std::move(*path));
  }
  return paths;
}

std::string original_client_path(std::string_view path) {
  std::size_t pos = 0;
  for (int i = 0; i < kClientRootComponents; ++i) {
    pos = path.find('/', pos + 1);
    if (pos == std::string_view::npos) return std::string(path);
  }
  std::string_view rest = path.substr(pos);
  if (ends_with(rest, ".abs")) rest.remove_suffix(4);
  if (ends_with(rest, ".lzo")) rest.remove_suffix(4);
  return std::string(rest);
}

bool is_compressed_copy(std::string_view path) { return ends_with(path, ".lzo") || ends_with(path, ".lzo.abs"); }

}  // namespace dcc
