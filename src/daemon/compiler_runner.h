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

// Spawns the real compiler in its own process group.
class ProcessCompilerRunner final : public CompilerRunner {
 public:
  Result<CompilerOutcome> run(const CompilerRun& run) override;
};

}  // namespace dcc
