#include "common/pump_request.h"

#include <algorithm>

#include "common/lzo_codec.h"

namespace dcc {
namespace {

std::string too_long(std::string_view token, std::uint32_t length, std::uint32_t limit) {
  return std::string(token) + " of " + std::to_string(length) + " bytes exceeds the limit of " + std::to_string(limit);
}

// NAME and LINK bodies are paths: they can never contain NUL, and a path the kernel could not use
// is refused here rather than when the server creates it.
Result<std::string> read_path(ProtocolReader& in, std::string_view token, std::uint32_t length,
                              const ProtocolLimits& limits) {
  if (length > limits.max_pump_path) return make_error(ExitCode::protocol_error, too_long(token, length, limits.max_pump_path));
  auto path = in.read_body(length, token);
  if (!path) return path.error();
  if (path->empty()) return make_error(ExitCode::protocol_error, std::string(token) + " is empty");
  if (path->find('\0') != std::string::npos) {
    return make_error(ExitCode::protocol_error, std::string(token) + " \"" + printable(*path) + "\" contains a NUL byte");
  }
  return path;
}

}  // namespace

Status send_pump_request(ProtocolWriter& out, const PumpRequest& request) {
  out.put_token("DIST", 3);
  out.put_string("CDIR", request.cwd);
  out.put_token("ARGC", static_cast<std::uint32_t>(request.argv.size()));
  for (const auto& arg : request.argv) out.put_string("ARGV", arg);
  out.put_token("NFIL", static_cast<std::uint32_t>(request.entries.size()));
  for (const auto& entry : request.entries) {
    out.put_string("NAME", entry.name);
    if (entry.kind == PumpEntry::Kind::link) {
      out.put_string("LINK", entry.data);
    } else if (entry.compressed) {
      out.put_string("FILE", entry.data);
    } else if (auto s = out.put_bulk("FILE", entry.data, /*compress=*/true); !s) {
      return s;
    }
  }
  return out.flush();
}

Result<PumpRequest> receive_pump_request(ProtocolReader& in, const ProtocolLimits& limits, const PumpEntrySink& sink) {
  PumpRequest request;
  auto cwd = in.read_string("CDIR", limits.max_cwd_length);
  if (!cwd) return cwd.error();
  request.cwd = std::move(*cwd);
  auto argv = receive_argv(in, limits);
  if (!argv) return argv.error();
  request.argv = std::move(*argv);
  auto count = in.expect_token("NFIL");
  if (!count) return count.error();
  if (*count > limits.max_pump_entries) {
    return make_error(ExitCode::protocol_error, "NFIL " + std::to_string(*count) + " exceeds the limit of " +
                                                    std::to_string(limits.max_pump_entries) + " files");
  }
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto name_length = in.expect_token("NAME");
    if (!name_length) return name_length.error();
    auto name = read_path(in, "NAME", *name_length, limits);
    if (!name) return name.error();
    auto head = in.expect_either("FILE", "LINK");
    if (!head) return head.error();
    PumpEntry entry;
    entry.name = std::move(*name);
    if (head->token == "LINK") {
      auto target = read_path(in, "LINK", head->value, limits);
      if (!target) return target.error();
      entry.kind = PumpEntry::Kind::link;
      entry.data = std::move(*target);
    } else {
      if (head->value > limits.max_body) {
        return make_error(ExitCode::protocol_error, "FILE " + printable(entry.name) + ": " +
                                                        std::to_string(head->value) + " bytes exceed the limit of " +
                                                        std::to_string(limits.max_body));
      }
      auto body = in.read_body(head->value, "FILE");
      if (!body) return body.error();
      if (!body->empty()) {
        std::uint64_t left = limits.max_pump_total - std::min(total, limits.max_pump_total);
        auto plain = lzo_decompress(*body, static_cast<std::size_t>(std::min<std::uint64_t>(limits.max_plain, left)));
        if (!plain) {
          std::string bound = left < limits.max_plain ? " (" + std::to_string(left) + " bytes left of the job's limit of " +
                                                            std::to_string(limits.max_pump_total) + ")"
                                                      : "";
          return make_error(plain.error().code, "FILE " + printable(entry.name) + ": " + plain.error().message + bound);
        }
        total += plain->size();
        entry.data = std::move(*plain);
      }
    }
    if (auto s = sink(std::move(entry)); !s) return s.error();
  }
  return request;
}

}  // namespace dcc
