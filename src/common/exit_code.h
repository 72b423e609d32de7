// Exit codes shared by distcc and distccd. The numbers are distcc 3.4's (exitcode.h), so scripts
// and build tools that look at them keep working when our binaries replace the stock ones.
#pragma once

#include <string_view>

namespace dcc {

enum class ExitCode : int {
  ok = 0,
  distcc_failed = 100,
  bad_arguments = 101,
  bind_failed = 102,
  connect_failed = 103,
  compiler_crashed = 104,
  out_of_memory = 105,
  bad_hostspec = 106,
  io_error = 107,
  truncated = 108,
  protocol_error = 109,
  compiler_missing = 110,
  recursion = 111,
  setuid_failed = 112,
  access_denied = 113,
  busy = 114,
  no_such_file = 115,
  no_hosts = 116,
  gone = 117,
  timeout = 118,
  gssapi_failed = 119,
  local_cpp = 120,
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

// The symbolic name, as the man page lists it ("EXIT_IO_ERROR" style without the prefix).
std::string_view exit_code_name(ExitCode code);

}  // namespace dcc
