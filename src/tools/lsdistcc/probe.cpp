#include "tools/lsdistcc/probe.h"

#include <cstdio>

#include "common/lzo_codec.h"
#include "common/tcp_connect.h"

namespace dcc::lsdistcc {
namespace {

constexpr std::string_view kSource = "int foo(){return 0;}";

std::string header(std::string_view token, std::size_t value) {
  char digits[9];
  std::snprintf(digits, sizeof digits, "%08zx", value);
  return std::string(token) + digits;
}

std::string item(std::string_view token, std::string_view body) {
  return header(token, body.size()) + std::string(body);
}

}  // namespace

Result<std::string> canned_request(const std::string& compiler, int protocol) {
  std::string source(kSource);
  if (protocol >= 2) {
    auto compressed = lzo_compress(kSource);
    if (!compressed) return compressed.error();
    source = std::move(*compressed);
  }
  std::string request = header("DIST", static_cast<std::size_t>(protocol));
  if (protocol == 3) request += item("CDIR", "/");
  request += header("ARGC", 5);
  for (std::string_view arg : {std::string_view(compiler), std::string_view("-c"),
                               std::string_view("hello.c"), std::string_view("-o"),
                               std::string_view("hello.o")}) {
    request += item("ARGV", arg);
  }
  if (protocol == 3) {
    request += header("NFIL", 1) + item("NAME", "/hello.c") + item("FILE", source);
  } else {
    request += item("DOTI", source);
  }
  return request;
}

Status judge_reply(const CompileReply& reply) {
  if (reply.wait_status != 0) {
    std::string why = reply.stderr_text.substr(0, reply.stderr_text.find('\n'));
    return make_error(ExitCode::compiler_crashed,
                      "test compile failed with status 0x" + header("", reply.wait_status) +
                          (why.empty() ? "" : ": " + printable(why, 120)));
  }
  if (reply.object.empty()) {
    return make_error(ExitCode::protocol_error, "test compile returned no object file");
  }
  return {};
}

Status probe_host(const std::string& ip, const ProbeSettings& settings) {
  if (settings.connect_timeout.count() == 0) return {};
  auto fd = connect_tcp(ip, settings.port, settings.connect_timeout);
  if (!fd) return fd.error();
  if (!settings.compiler || settings.compile_timeout.count() == 0) return {};

  auto request = canned_request(*settings.compiler, settings.protocol);
  if (!request) return request.error();
  // The whole job, sending included, must fit in the compile timeout.
  auto deadline = std::chrono::steady_clock::now() + settings.compile_timeout;
  if (auto sent = write_all(fd->get(), *request, settings.compile_timeout, "test job"); !sent) {
    return sent;
  }
  ProtocolReader in(fd->get(), settings.compile_timeout);
  in.set_deadline(deadline);
  ProtocolLimits limits;
  limits.max_body = 16 * 1024 * 1024;  // a test object is a few kB; a server sending more is broken
  limits.max_plain = 64 * 1024 * 1024;
  auto reply = receive_reply(in, static_cast<std::uint32_t>(settings.protocol), limits);
  if (!reply) return reply.error();
  return judge_reply(*reply);
}

}  // namespace dcc::lsdistcc
