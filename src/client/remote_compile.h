// One plain-mode remote compile: preprocess locally while connecting, send the request, read the
// reply. Failures are classified so the driver can tell a distribution failure (fall back to a
// local compile) from a real compile error.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/client_config.h"
#include "client/host_chooser.h"
#include "client/task_state.h"
#include "client/local_compile.h"
#include "common/arg_rules.h"
#include "common/host_spec.h"
#include "common/logger.h"
#include "common/protocol.h"

namespace dcc {

enum class RemoteFailure {
  none,
  preprocessor_failed,  // local cpp failed: compile locally to show the user's errors; the host is fine
  local_setup,          // temp files etc. on this machine: not the host's fault
  distribution,         // connect, protocol, timeout, server dropped us: host's fault
};

struct RemoteResult {
  RemoteFailure failure = RemoteFailure::none;
  Error error;                        // when failure != none
  std::optional<CompileReply> reply;  // when the server answered
  std::uint64_t bytes_received = 0;   // from the server, whatever happened
  // After a reply: the server's XCAP trailer (nullopt: it closed instead, i.e. not ours), when
  // it could be told without waiting.
  std::optional<std::optional<std::uint32_t>> capabilities;
};

struct RemoteContext {
  const ClientConfig& config;
  const ChildEnvironment& child_env;
  Logger& log;
  TaskStateFile& state;         // phases for the monitors
  const SlotWaiting& waiting;   // local preprocessing takes a --localslots_cpp slot
  int cpp_slots = 8;
};

RemoteResult remote_failure(RemoteFailure kind, Error error);
// A connection that could not be opened: this machine's fault or the host's (see RemoteFailure).
RemoteResult connection_failed(const Error& error);

// Whether argv[0] is GCC, whose -fdirectives-only mode keeps debug info columns exact.
bool is_gcc_compiler(const std::string& compiler);

RemoteResult compile_remotely(const RemoteJob& job, const HostSpec& host, const RemoteContext& ctx);

// The exchange every protocol shares: `send` writes the request on the open connection (reading
// from it too, if the request is a dialogue), then the reply of `version` is read. Failures are
// distribution failures naming the host. `note` is added to the log line of a successful exchange.
struct Connection;
using RequestSender = std::function<Status(ProtocolWriter&, ProtocolReader&)>;
RemoteResult exchange_with_server(Connection& conn, std::uint32_t version, const RequestSender& send, const RemoteJob& job,
                                  const RemoteContext& ctx, const std::function<std::string()>& note = {});

}  // namespace dcc
