// Serving one compile job on a connection: read the request, decide whether it may run, run the
// compiler in a private temp dir, send the reply. Everything here works on plain descriptors and a
// CompilerRunner, so it is tested in-process over a socketpair.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/exit_code.h"
#include "common/fd_io.h"
#include "common/logger.h"
#include "common/protocol.h"
#include "daemon/compiler_allowlist.h"
#include "daemon/compiler_runner.h"
#include "daemon/header_cache.h"

namespace dcc {

struct JobConfig {
  CompilerAllowlist allowlist;
  std::string temp_root = "/tmp";
  Millis io_timeout{300'000};
  std::chrono::seconds job_lifetime{0};
  ProtocolLimits limits;
  bool save_temps = false;
  std::optional<std::string> compiler_path;  // DISTCCD_PATH
  std::function<bool(const std::string&)> is_executable;  // for the allow-list
  // Pump mode's header cache, shared by the daemon's workers; null: off (XCAP says so).
  const HeaderCache* header_cache = nullptr;
};

// Statistics categories, as distcc 3.4's --stats reports them.
enum class JobResult { compile_ok, compile_error, compile_timeout, client_disconnect, bad_request, refused, other };
inline constexpr std::size_t kJobResultCount = 7;
std::string_view job_result_name(JobResult result);  // "COMPILE_OK", ...

// Why a connection or job was turned away before its compiler ran (bad_request and refused jobs,
// and connections the access list denies). The name is the Prometheus label value.
enum class Refusal : std::uint8_t {
  none,
  access_denied,        // the peer is not in --allow (decided by the listener)
  incomplete_request,   // the connection closed, or the client was too slow, before the request was whole
  protocol_error,       // the bytes were not a distcc request we serve
  not_distributable,    // the command must run on the client (linking, -E, two sources, ...)
  compiler_not_allowed, // not in the masquerade directories or DISTCC_CMDLIST
  compiler_not_found,   // allowed, but not on the daemon's PATH
  unsafe_argument,      // an argument would run or read something outside the job
  unsafe_source,        // the preprocessed source would read server files
  pump_confinement,     // a pump-mode file or link would land or point outside the job's root
};
inline constexpr std::size_t kRefusalCount = 10;
std::string_view refusal_name(Refusal refusal);  // "access_denied", ...

struct JobOutcome {
  JobResult result = JobResult::other;
  std::chrono::milliseconds elapsed{0};
  std::string compiler;  // as requested
  std::string input;     // the client's file name
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  bool daemon_stopping = false;  // a termination signal arrived during the compile
  Refusal refusal = Refusal::none;
  ExitCode ret = ExitCode::ok;  // 3.4's "ret:": the distcc exit code of a failure, 0 if the job ran
  int wait_status = 0;          // the compiler's, when it ran
  // How long the compiler ran, when it ran to its end (OK, error or timeout).
  std::optional<std::chrono::milliseconds> compile_time;
};

// The one line logged (at info) for every job, in distcc 3.4's format:
// client: 127.0.0.1:51688 COMPILE_OK exit:0 sig:0 core:0 ret:0 time:282ms gcc hello.c
std::string job_summary_line(const std::string& peer, const JobOutcome& outcome);

JobOutcome serve_job(int in_fd, int out_fd, const std::string& peer, const JobConfig& config,
                     CompilerRunner& runner, Logger& log);

}  // namespace dcc
