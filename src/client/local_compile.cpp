#include "client/local_compile.h"

#include <iostream>

#include "common/child_process.h"

namespace dcc {

int run_local_compiler(const std::vector<std::string>& argv, const ChildEnvironment& env) {
  SpawnOptions options;
  options.argv = argv;
  options.path = env.path;
  options.set_env = {{"_DISTCC_SAFEGUARD", std::to_string(env.safeguard_level)}};
  auto child = ChildProcess::spawn(options);
  if (!child) {
    std::cerr << "distcc[" << ::getpid() << "] ERROR: " << child.error().message << "\n";
    return to_int(child.error().code);
  }
  auto status = child->wait();
  if (!status) return to_int(ExitCode::distcc_failed);
  return exit_code_of(*status);
}

}  // namespace dcc
