#include "client/usage.h"

#include <iostream>

#include "client/host_loader.h"
#include "common/host_spec.h"

#ifndef DCC_VERSION
#define DCC_VERSION "0.1.0"
#endif
#ifndef DCC_GNU_HOST
#define DCC_GNU_HOST "x86_64-linux-gnu"
#endif

namespace dcc {
namespace {

constexpr const char* kHelp = R"(Usage:
   distcc [--help|--version|--show-hosts|-j]
   distcc --scan-includes [COMPILER] [compile options] -c SOURCE
   distcc [COMPILER] [compile options] -o OBJECT -c SOURCE

Options:
   COMPILER                   defaults to "cc"
   --help                     explain usage and exit
   --version                  show version and exit
   --show-hosts               show host list and exit
   -j                         calculate the concurrency level from
                              the host list.
   --scan-includes            print the files pump mode would send for
                              the compile command that follows.

Environment variables:
   See the manual page for a complete list.
   DISTCC_VERBOSE=1           give debug messages
   DISTCC_LOG                 send messages to file, not stderr
   DISTCC_DIR                 directory holding the hosts file (default ~/.distcc)
   DISTCC_FALLBACK=0          fail instead of compiling locally when no host works
   DISTCC_SKIP_LOCAL_RETRY    show remote errors instead of recompiling locally
   DISTCC_IO_TIMEOUT          seconds a network read or write may stall (default 300)
   DISTCC_SAVE_TEMPS=1        keep temporary files
   DISTCC_NO_REWRITE_CROSS    do not rewrite gcc to its target-prefixed name

Server specification:
A list of servers is taken from the environment variable $DISTCC_HOSTS, or
$DISTCC_DIR/hosts, or ~/.distcc/hosts, or /etc/distcc/hosts.
   localhost                  run in place
   HOST                       TCP connection, port 3632
   HOST:PORT                  TCP connection, specified port
   HOST/LIMIT                 at most LIMIT jobs at once on HOST
   [IPV6]:PORT                IPv6 literal address
   --randomize                randomize the server list before execution
   HOST,lzo                   compress traffic (protocol 2)
   HOST,cpp,lzo               pump mode (protocol 3)

distcc distributes compilation jobs across volunteer machines running
distccd.  Jobs that cannot be distributed, such as linking, are run locally.
distcc should be used with make's -jN option to execute in parallel on
several machines.
)";

}  // namespace

int run_distcc_command(DistccCommand command, const ClientConfig& config, Logger& log) {
  switch (command) {
    case DistccCommand::help:
      std::cout << kHelp;
      return 0;
    case DistccCommand::version:
      std::cout << "distcc 3.4 " << DCC_GNU_HOST << " (distcc-cpp " << DCC_VERSION << ")\n"
                << "  (protocols 1 and 2) (default port 3632)\n"
                << "  a C++ reimplementation of distcc, compatible with distcc 3.4 peers.\n";
      return 0;
    case DistccCommand::show_hosts:
    case DistccCommand::total_slots: {
      auto hosts = load_host_list(config);
      if (!hosts) {
        log.error(hosts.error().message);
        // 3.4 exits 0 here even when the list does not parse.
        return 0;
      }
      if (command == DistccCommand::total_slots) {
        std::cout << total_slots(*hosts) << "\n";
      } else {
        for (const auto& host : hosts->hosts) std::cout << host.spec << "\n";
      }
      return 0;
    }
  }
  return 0;
}

}  // namespace dcc
