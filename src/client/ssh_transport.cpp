#include "client/ssh_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "client/connection.h"
#include "common/fd_io.h"
#include "common/shell_words.h"

namespace dcc {
namespace {

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  // Close-on-exec: only the ssh child gets its ends, via dup2 at spawn, so the pipes reach end
  // of file when we close ours (no compiler or other child keeps a copy).
  if (::pipe2(fds, O_CLOEXEC) != 0) return make_error(ExitCode::io_error, "pipe: " + errno_text(errno));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace

Result<std::vector<std::string>> build_ssh_argv(const HostSpec& host, const std::optional<std::string>& distcc_ssh) {
  std::vector<std::string> argv;
  if (distcc_ssh) {
    auto words = split_shell_words(*distcc_ssh);
    if (!words) return make_error(ExitCode::bad_arguments, "DISTCC_SSH=\"" + *distcc_ssh + "\": " + words.error().message);
    argv = std::move(*words);
  }
  if (argv.empty()) argv.push_back("ssh");
  if (host.hostname.starts_with('-')) {
    return make_error(ExitCode::bad_hostspec, "SSH host name \"" + host.hostname + "\" starts with '-' (" + host.spec + ")");
  }
  if (!host.user.empty()) {
    argv.push_back("-l");
    argv.push_back(host.user);
  }
  argv.push_back(host.hostname);
  argv.push_back(host.ssh_command.empty() ? "distccd" : host.ssh_command);
  argv.push_back("--inetd");
  // As in 3.4: the daemon runs as the user who logged in, so the compiler allow-list that guards
  // a shared TCP daemon has nothing to protect.
  argv.push_back("--enable-tcp-insecure");
  return argv;
}

std::string ssh_where(const HostSpec& host) {
  return "ssh:" + (host.user.empty() ? host.hostname : host.user + "@" + host.hostname);
}

Result<Connection> open_ssh_connection(const HostSpec& host, const ClientConfig& config) {
  auto argv = build_ssh_argv(host, config.ssh_command);
  if (!argv) return argv.error();
  auto to_server = make_pipe();
  if (!to_server) return to_server.error();
  auto from_server = make_pipe();
  if (!from_server) return from_server.error();

  SpawnOptions options;
  options.argv = *argv;
  options.path = config.path;
  options.stdin_fd = to_server->read.get();
  options.stdout_fd = from_server->write.get();
  // stderr is inherited: ssh's own complaints (host key, refused, permission denied) reach the
  // user as they do with 3.4.
  auto child = ChildProcess::spawn(options);
  if (!child) return child.error();

  // Our ends are polled with the I/O timeout by ProtocolReader/Writer, which expect EAGAIN.
  if (auto s = set_nonblocking(to_server->write.get()); !s) return s.error();
  if (auto s = set_nonblocking(from_server->read.get()); !s) return s.error();
  Connection conn;
  conn.transport.emplace(std::move(*child));
  conn.to_server = std::move(to_server->write);
  conn.from_server = std::move(from_server->read);
  conn.where = ssh_where(host);
  return conn;
}

}  // namespace dcc
