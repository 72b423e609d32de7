#include "common/exit_code.h"

namespace dcc {

std::string_view exit_code_name(ExitCode code) {
  switch (code) {
    case ExitCode::ok: return "OK";
    case ExitCode::distcc_failed: return "DISTCC_FAILED";
    case ExitCode::bad_arguments: return "BAD_ARGUMENTS";
    case ExitCode::bind_failed: return "BIND_FAILED";
    case ExitCode::connect_failed: return "CONNECT_FAILED";
    case ExitCode::compiler_crashed: return "COMPILER_CRASHED";
    case ExitCode::out_of_memory: return "OUT_OF_MEMORY";
    case ExitCode::bad_hostspec: return "BAD_HOSTSPEC";
    case ExitCode::io_error: return "IO_ERROR";
    case ExitCode::truncated: return "TRUNCATED";
    case ExitCode::protocol_error: return "PROTOCOL_ERROR";
    case ExitCode::compiler_missing: return "COMPILER_MISSING";
    case ExitCode::recursion: return "RECURSION";
    case ExitCode::setuid_failed: return "SETUID_FAILED";
    case ExitCode::access_denied: return "ACCESS_DENIED";
    case ExitCode::busy: return "BUSY";
    case ExitCode::no_such_file: return "NO_SUCH_FILE";
    case ExitCode::no_hosts: return "NO_HOSTS";
    case ExitCode::gone: return "GONE";
    case ExitCode::timeout: return "TIMEOUT";
    case ExitCode::gssapi_failed: return "GSSAPI_FAILED";
    case ExitCode::local_cpp: return "LOCAL_CPP";
  }
  return "UNKNOWN";
}

}  // namespace dcc
