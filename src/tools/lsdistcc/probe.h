// Probing one distcc server: connect, and with a compiler send 3.4's canned test job and check
// that a real object file comes back.
#pragma once

#include <optional>
#include <string>

#include "common/fd_io.h"
#include "common/protocol.h"
#include "common/result.h"

namespace dcc::lsdistcc {

struct ProbeSettings {
  int port = 3632;
  Millis connect_timeout{900};           // 0: do not connect, the host counts as up
  Millis compile_timeout{1500};          // 0: do not compile
  std::optional<std::string> compiler;   // none: connecting is enough
  int protocol = 1;
};

// 3.4's test job: "<compiler> -c hello.c -o hello.o" on the source "int foo(){return 0;}",
// in protocol 1 (plain DOTI), 2 (LZO DOTI) or 3 (CDIR "/", one LZO FILE named /hello.c).
Result<std::string> canned_request(const std::string& compiler, int protocol);

// Whether a reply to the canned job shows a working compiler: status 0 and an object file.
Status judge_reply(const CompileReply& reply);

// Connects to `ip` (dotted IPv4) and, if settings say so, runs the test job. Blocks for at most
// connect_timeout + compile_timeout. The error says why the host is not usable.
Status probe_host(const std::string& ip, const ProbeSettings& settings);

}  // namespace dcc::lsdistcc
