#include "client/include_files.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <sstream>

#include "common/fd_io.h"
#include "common/include_server_protocol.h"
#include "common/unique_fd.h"

namespace dcc {
namespace {

Result<UniqueFd> connect_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return make_error(ExitCode::bad_arguments, "INCLUDE_SERVER_PORT " + path + " is longer than " +
                                                   std::to_string(sizeof addr.sun_path - 1) + " characters");
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return make_error(ExitCode::io_error, std::string("cannot create a socket: ") + std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return make_error(ExitCode::connect_failed, "cannot reach the include server at " + path + ": " + std::strerror(errno));
  }
  if (auto s = set_nonblocking(fd.get()); !s) return s.error();
  return fd;
}

}  // namespace

Result<std::vector<std::string>> ask_include_server(const ClientConfig& config, const std::string& cwd,
                                                    const std::vector<std::string>& argv) {
  if (config.include_server_stub) {
    std::istringstream words(*config.include_server_stub);
    std::vector<std::string> paths;
    for (std::string word; words >> word;) paths.push_back(word);
    return paths;
  }
  if (!config.include_server_port || config.include_server_port->empty()) {
    return make_error(ExitCode::bad_arguments, "INCLUDE_SERVER_PORT is not set (run the build under pump)");
  }
  auto fd = connect_unix(*config.include_server_port);
  if (!fd) return fd.error();
  ProtocolWriter out(fd->get(), config.io_timeout);
  if (auto s = send_include_query(out, IncludeQuery{cwd, argv}); !s) {
    return make_error(s.error().code, "asking the include server: " + s.error().message);
  }
  ProtocolReader in(fd->get(), config.io_timeout);
  auto answer = receive_include_answer(in, ProtocolLimits{});
  if (!answer) return make_error(answer.error().code, "include server answer: " + answer.error().message);
  return answer;
}

Result<std::vector<PumpEntry>> read_pump_entries(const std::vector<std::string>& paths) {
  std::vector<PumpEntry> entries;
  entries.reserve(paths.size());
  for (const auto& path : paths) {
    PumpEntry entry;
    entry.name = original_client_path(path);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      return make_error(ExitCode::io_error, "cannot read " + path + " for pump mode: " + std::strerror(errno));
    }
    if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t n = ::readlink(path.c_str(), target, sizeof target);
      if (n < 0 || static_cast<std::size_t>(n) >= sizeof target) {
        return make_error(ExitCode::io_error, "cannot read the link " + path + ": " + std::strerror(errno));
      }
      entry.kind = PumpEntry::Kind::link;
      entry.data.assign(target, static_cast<std::size_t>(n));
    } else {
      auto data = read_file(path);
      if (!data) return data.error();
      entry.data = std::move(*data);
      entry.compressed = is_compressed_copy(path);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace dcc
