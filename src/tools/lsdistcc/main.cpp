// lsdistcc: lists the distcc servers that are up. Command line -> options -> scan -> exit status.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "tools/lsdistcc/options.h"
#include "tools/lsdistcc/resolver.h"
#include "tools/lsdistcc/scan.h"

int main(int argc, char** argv) {
  using namespace dcc::lsdistcc;
  // A server that drops the connection while the test job is sent must be a failed probe.
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto line = parse_command_line(args);
  if (!line) {
    std::cerr << "lsdistcc: " << line.error().message << "\n" << usage_text();
    return 1;
  }
  if (line->help) {
    std::cout << usage_text();
    return 0;
  }
  std::string domain;
  if (line->options.append_domain) {
    auto found = local_dns_domain();
    if (!found) {
      std::cerr << "lsdistcc: " << found.error().message << "\n";
      return 1;
    }
    domain = *found;
  }
  return scan(line->options, domain, std::cout, std::cerr);
}
