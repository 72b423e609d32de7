// Running the compiler for one job: an interface, so job logic is tested without real compilers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace dcc {

struct CompilerRun {
  std::vector<std::string> argv;
  std::string workdir;
  std::string stdout_path;
  std::string stderr_path;
  int client_fd = -1;                    // watched: the compiler is killed if the client goes away
  std::chrono::seconds lifetime{0};      // --job-lifetime, 0 = unlimited
  // A compiler that is stopped (lifetime over, client gone, daemon stopping) gets SIGTERM, then
  // SIGKILL after this long: one that ignores SIGTERM must not hold the job (and a stopping
  // daemon, which waits for its workers) forever.
  std::chrono::milliseconds stop_grace{2000};
  std::optional<std::string> path;       // DISTCCD_PATH for the compiler lookup
  std::vector<std::pair<std::string, std::string>> env;
};

struct CompilerOutcome {
  int wait_status = 0;
  bool timed_out = false;
  bool client_gone = false;
  bool daemon_stopping = false;  // SIGTERM/SIGINT/SIGHUP arrived: compiler killed, job abandoned
};

class CompilerRunner {
 public:
  virtual ~CompilerRunner() = default;
  virtual Result<CompilerOutcome> run(const CompilerRun& run) = 0;
};

// A compiler can print without limit (a runaway template error, a broken macro): what it printed
// goes to a file, and the reply, which is built in memory, carries at most this much of each
// stream. distcc 3.4 streamed everything; cutting keeps a worker's memory bounded and the client
// still sees the start, where the first error is.
inline constexpr std::size_t kMaxCompilerOutput = std::size_t{4} << 20;

// The first `limit` bytes of the compiler output in `path`; when there was more, a last line says
// how much was cut. Never reads more than `limit` bytes into memory.
Result<std::string> read_compiler_output(const std::string& path, std::size_t limit = kMaxCompilerOutput);

// Spawns the real compiler in its own process group.
class ProcessCompilerRunner final : public CompilerRunner {
 public:
  Result<CompilerOutcome> run(const CompilerRun& run) override;
};

}  // namespace dcc
