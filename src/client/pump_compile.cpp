#include "client/pump_compile.h"

#include "client/connection.h"
#include "client/dependency_plan.h"
#include "common/temp_files.h"

namespace dcc {

RemoteResult compile_pump(const RemoteJob& job, const HostSpec& host, const std::vector<PumpEntry>& files,
                          const std::string& cwd, const RemoteContext& ctx, bool offer_hashes) {
  // The .d file comes back in the reply; it is written beside its final name first so that it
  // appears together with the object or not at all.
  std::optional<AtomicFile> dep_file;
  if (auto plan = plan_dependencies(job.argv, job.output)) {
    auto file = AtomicFile::create(plan->dep_file);
    if (!file) return remote_failure(RemoteFailure::local_setup, file.error());
    dep_file.emplace(std::move(*file));
  }
  ctx.state.set_phase(TaskPhase::connect);
  auto conn = open_connection(host, ctx.config);
  if (!conn) return connection_failed(conn.error());
  PumpRequest request;
  request.cwd = cwd;
  request.argv = job.argv;  // the server preprocesses: every option travels (it rewrites -o and -MF)
  request.entries = files;
  std::optional<HeaderCacheTraffic> traffic;
  auto send = [&](ProtocolWriter& out, ProtocolReader& in) -> Status {
    if (!offer_hashes) return send_pump_request(out, request);
    auto sent = send_pump_request_offering_hashes(out, in, request);
    if (!sent) return sent.error();
    traffic = *sent;
    return {};
  };
  auto note = [&]() -> std::string {
    if (!traffic) return "";
    return ", header cache: " + std::to_string(traffic->offered - traffic->needed) + " of " +
           std::to_string(traffic->offered) + " offered files were cached";
  };
  RemoteResult result = exchange_with_server(*conn, 3, send, job, ctx, note);
  if (result.failure != RemoteFailure::none || result.reply->wait_status != 0) return result;
  if (auto s = write_file_atomically(job.output, result.reply->object); !s) return remote_failure(RemoteFailure::local_setup, s.error());
  if (dep_file) {
    if (auto s = dep_file->write(result.reply->dotd.value_or("")); !s) return remote_failure(RemoteFailure::local_setup, s.error());
    if (auto s = dep_file->commit(); !s) return remote_failure(RemoteFailure::local_setup, s.error());
  }
  return result;
}

}  // namespace dcc
