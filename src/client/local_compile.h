// Running the compiler on this machine.
#pragma once

#include <string>
#include <vector>

#include "client/client_config.h"

namespace dcc {

// What every program we start inherits: the PATH to find the real compiler (trimmed in
// masquerade mode) and the recursion guard.
struct ChildEnvironment {
  std::string path;
  int safeguard_level = 1;  // the value children get in _DISTCC_SAFEGUARD
};

// Runs the compiler with our stdio and returns its exit code (128 + signal when killed).
int run_local_compiler(const std::vector<std::string>& argv, const ChildEnvironment& env);

}  // namespace dcc
