// Serving one compile job on a connection: read the request, decide whether it may run, run the
// compiler in a private temp dir, send the reply. Everything here works on plain descriptors and a
// CompilerRunner, so it is tested in-process over a socketpair.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/fd_io.h"
#include "common/logger.h"
#include "common/protocol.h"
#include "daemon/compiler_allowlist.h"
#include "daemon/compiler_runner.h"

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
};

// Statistics categories, as distcc 3.4's --stats reports them.
enum class JobResult { compile_ok, compile_error, compile_timeout, client_disconnect, bad_request, refused, other };
std::string_view job_result_name(JobResult result);  // "COMPILE_OK", ...

struct JobOutcome {
  JobResult result = JobResult::other;
  std::chrono::milliseconds elapsed{0};
  std::string compiler;  // as requested
  std::string input;     // the client's file name
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  bool daemon_stopping = false;  // a termination signal arrived during the compile
};

JobOutcome serve_job(int in_fd, int out_fd, const std::string& peer, const JobConfig& config,
                     CompilerRunner& runner, Logger& log);

}  // namespace dcc
