// distcc-include-server: the long-lived process pump(1) starts for a build. It answers distcc
// clients on a Unix socket ($INCLUDE_SERVER_PORT) with the files a compile needs, in distcc
// 3.4's protocol and client-root layout, so both our client and a stock 3.4 client can use it.
// One IncludeAnalyzer lives for the whole build: each header is read and analysed once per
// include context, and each file is compressed once (ClientRoot).
//
//   distcc-include-server --port SOCKET [--pid_file FILE]
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "common/fd_io.h"
#include "common/include_server_protocol.h"
#include "common/temp_files.h"
#include "common/unique_fd.h"
#include "pump/client_root.h"
#include "pump/include_analyzer.h"

namespace {

using namespace dcc;

constexpr Millis kClientTimeout{60'000};

struct Options {
  std::string socket_path;
  std::string pid_file;
};

Result<Options> parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& name) -> Result<std::string> {
      if (i + 1 >= argc) return make_error(ExitCode::bad_arguments, name + " needs a value");
      return std::string(argv[++i]);
    };
    if (a == "--port" || a == "--pid_file") {
      auto v = value(a);
      if (!v) return v.error();
      (a == "--port" ? o.socket_path : o.pid_file) = *v;
    } else if (a == "-h" || a == "--help") {
      std::cout << "Usage: distcc-include-server --port SOCKET [--pid_file FILE]\n"
                   "Answers distcc clients on the Unix socket SOCKET with the files each compile needs\n"
                   "(started by pump; see pump(1)).\n"
                   "  --port SOCKET     the Unix socket to listen on (INCLUDE_SERVER_PORT)\n"
                   "  --pid_file FILE   write the server's process id to FILE\n"
                   "  -h, --help        print this help\n";
      std::exit(0);
    } else {
      return make_error(ExitCode::bad_arguments, "unknown option " + a);
    }
  }
  if (o.socket_path.empty()) return make_error(ExitCode::bad_arguments, "--port SOCKET is required");
  return o;
}

Result<UniqueFd> listen_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return make_error(ExitCode::bad_arguments, "socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return make_error(ExitCode::io_error, "socket: " + errno_text(errno));
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd.get(), 128) != 0) {
    return make_error(ExitCode::bind_failed, "cannot listen on " + path + ": " + errno_text(errno));
  }
  return fd;
}

// One client: read the compile command, answer with the files (none when analysis gives up).
void serve(int fd, pump::IncludeAnalyzer& analyzer, pump::ClientRoot& root) {
  if (!set_nonblocking(fd)) return;
  ProtocolReader in(fd, kClientTimeout);
  auto query = receive_include_query(in, ProtocolLimits{});
  if (!query) {
    std::cerr << "distcc-include-server: bad query: " << query.error().message << "\n";
    return;
  }
  std::vector<std::string> answer;
  auto analysis = analyzer.analyze(query->argv, query->cwd);
  if (!analysis) {
    std::cerr << "distcc-include-server: giving up on a compile in " << query->cwd << ": " << analysis.error().message << "\n";
  } else if (auto paths = root.materialize(*analysis)) {
    answer = std::move(*paths);
  } else {
    std::cerr << "distcc-include-server: " << paths.error().message << "\n";
  }
  ProtocolWriter out(fd, kClientTimeout);
  if (auto s = send_include_answer(out, answer); !s) {
    std::cerr << "distcc-include-server: cannot answer: " << s.error().message << "\n";
  }
}

}  // namespace

// SIGTERM (pump --shutdown), SIGINT and SIGHUP end the accept loop normally, so the client root
// is removed by its destructor; they arrive through a signalfd, not a handler.
Result<UniqueFd> termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, sig);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return make_error(ExitCode::io_error, "sigprocmask: " + errno_text(errno));
  UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!fd) return make_error(ExitCode::io_error, "signalfd: " + errno_text(errno));
  return fd;
}

int main(int argc, char** argv) {
  auto signals = termination_signals();
  if (!signals) {
    std::cerr << "distcc-include-server: " << signals.error().message << "\n";
    return to_int(signals.error().code);
  }
  auto options = parse_options(argc, argv);
  if (!options) {
    std::cerr << "distcc-include-server: " << options.error().message << "\n";
    return to_int(ExitCode::bad_arguments);
  }
  const char* client_tmp = std::getenv("DISTCC_CLIENT_TMP");  // read once, here in main
  auto root = pump::ClientRoot::create(client_tmp ? client_tmp : "");
  if (!root) {
    std::cerr << "distcc-include-server: " << root.error().message << "\n";
    return to_int(root.error().code);
  }
  auto listener = listen_unix(options->socket_path);
  if (!listener) {
    std::cerr << "distcc-include-server: " << listener.error().message << "\n";
    return to_int(listener.error().code);
  }
  if (!options->pid_file.empty()) {
    if (auto s = write_file_atomically(options->pid_file, std::to_string(::getpid()) + "\n"); !s) {
      std::cerr << "distcc-include-server: " << s.error().message << "\n";
      return to_int(s.error().code);
    }
  }
  pump::IncludeAnalyzer analyzer;
  for (;;) {
    pollfd fds[2] = {{listener->get(), POLLIN, 0}, {signals->get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      std::cerr << "distcc-include-server: poll: " << errno_text(errno) << "\n";
      break;
    }
    if (fds[1].revents != 0) break;
    int client = ::accept4(listener->get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      std::cerr << "distcc-include-server: accept: " << errno_text(errno) << "\n";
      break;
    }
    UniqueFd conn(client);
    serve(conn.get(), analyzer, *root);
  }
  ::unlink(options->socket_path.c_str());
  auto stats = analyzer.stats();
  std::cerr << "distcc-include-server: " << stats.files_read << " files read, " << stats.nodes_expanded
            << " headers analysed, " << root->compressions() << " files compressed\n";
  return 0;
}
