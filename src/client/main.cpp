// distcc: snapshot the environment → configuration → run → exit code.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "client/client_config.h"
#include "client/compile_driver.h"
#include "common/interrupt_cleanup.h"
#include "common/logger.h"
#include "common/unique_fd.h"

int main(int argc, char** argv) {
  using namespace dcc;
  // A server that drops the connection (access list, refused job) must surface as a write error
  // we can fall back from, not kill us. Children get the default disposition back at spawn.
  ::signal(SIGPIPE, SIG_IGN);
  install_interrupt_cleanup();
  auto config = ClientConfig::from_env(snapshot_environment());
  if (!config) {
    std::cerr << "distcc[" << ::getpid() << "] ERROR: " << config.error().message << "\n";
    return to_int(config.error().code);
  }
  // DISTCC_LOG wins; else UNCACHED_ERR_FD (ccache passes the real stderr there); else stderr.
  LogLevel level = config->verbose ? LogLevel::debug : LogLevel::warning;
  int fd = 2;
  UniqueFd log_file;
  if (config->log_file) {
    log_file.reset(::open(config->log_file->c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666));
    if (log_file) {
      fd = log_file.get();
      if (!config->verbose) level = LogLevel::info;
    } else {
      std::cerr << "distcc[" << ::getpid() << "] ERROR: cannot open DISTCC_LOG " << *config->log_file << ": "
                << std::strerror(errno) << "\n";
    }
  } else if (config->uncached_err_fd > 0) {
    fd = config->uncached_err_fd;
  }
  Logger log("distcc", level, fd);
  std::vector<std::string> args(argv, argv + argc);
  return run_distcc(args, *config, log);
}
