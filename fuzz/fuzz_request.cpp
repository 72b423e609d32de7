// The daemon's whole request path up to running a compiler, on the fuzz input as the bytes a
// client sent: DIST (versions 0-3), the plain-mode body (ARGC/ARGV/DOTI, LZO for v2) or the pump
// request (CDIR, ARGV, NFIL and NAME/FILE/LINK entries, LZO bodies) or our header-cache request
// (DIST 0x103: a MANI manifest with FHSH offers, then the uploads), then the pure checks the
// daemon applies to what arrived (classify, the argument and source-content checks, the pump
// server command line).
#include <fcntl.h>

#include <chrono>
#include <map>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>

#include "common/arg_rules.h"
#include "common/arg_safety.h"
#include "common/protocol.h"
#include "common/pump_request.h"
#include "daemon/pump_job_args.h"
#include "daemon/source_safety.h"
#include "fuzz_support.h"

namespace {

using namespace dcc;

// The checks the daemon applies to a request's command line once it has arrived (JobServer).
void check_command(const std::vector<std::string>& argv, bool pump) {
  auto classified = classify(argv);
  const auto* job = std::get_if<RemoteJob>(&classified);
  if (job == nullptr) return;
  auto args = std::span(job->argv).subspan(1);
  if (pump) {
    if (find_unsafe_pump_argument(args)) return;
    auto command = pump_server_command(job->argv, job->input, "/tmp/job/root", "/tmp/job/output.o", "/tmp/job/deps.d");
    (void)make_quoted(command.dotd_target);
  } else {
    (void)find_unsafe_argument(args);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  UniqueFd fd = fuzz::stream_of(fuzz::as_text(data, size));
  if (!fd) return 0;
  // Non-blocking like the daemon's socket; a memfd never stalls, so the timeout is never reached.
  (void)set_nonblocking(fd.get());
  ProtocolReader in(fd.get(), std::chrono::milliseconds(1000));
  in.set_deadline(std::chrono::steady_clock::now() + std::chrono::seconds(10));
  ProtocolLimits limits;
  auto version = receive_request_version(in, /*accept_pump=*/true);
  if (!version) return 0;
  if (features_for(*version)->sends_files) {
    std::size_t entries = 0, bytes = 0;
    auto sink = [&](PumpEntry&& entry) -> Status {
      ++entries;
      bytes += entry.data.size();
      return {};
    };
    Result<PumpRequest> request = make_error(ExitCode::protocol_error, "");
    if (features_for(*version)->header_cache) {
      // The NEED list goes nowhere; what this request uploads is "cached" for its later offers.
      UniqueFd sink_fd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
      ProtocolWriter out(sink_fd.get(), std::chrono::milliseconds(1000));
      std::map<Sha256Digest, std::string> cached;
      PumpHeaderCache cache{.out = out,
                            .fetch = [&](const Sha256Digest& d) -> std::optional<std::string> {
                              auto it = cached.find(d);
                              return it == cached.end() ? std::nullopt : std::optional<std::string>(it->second);
                            },
                            .store = [&](const Sha256Digest& d, std::string_view body) { cached[d] = std::string(body); },
                            .traffic = {}};
      request = receive_pump_request(in, limits, sink, cache);
    } else {
      request = receive_pump_request(in, limits, sink);
    }
    if (request) check_command(request->argv, /*pump=*/true);
    return 0;
  }
  auto request = receive_request_body(in, *version, limits);
  if (!request) return 0;
  check_command(request->argv, /*pump=*/false);
  (void)find_unsafe_source_content(request->source);
  return 0;
}
