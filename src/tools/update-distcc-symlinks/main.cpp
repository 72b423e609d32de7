// update-distcc-symlinks: keeps the masquerade directory (/usr/lib/distcc) in step with the
// installed compilers. The daemon's compiler allow-list is that directory, so this is also what
// decides which compilers a distccd on this machine will run.
#include <iostream>
#include <string>
#include <vector>

#include "tools/update-distcc-symlinks/symlinks_options.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto options = dcc::parse_symlinks_options(args);
  if (!options) {
    std::cerr << "update-distcc-symlinks: " << options.error().message << '\n';
    return 2;
  }
  if (options->help) {
    std::cout << dcc::kSymlinksUsage;
    return 0;
  }
  auto done = dcc::update_masquerade(options->request, options->verbose ? &std::cout : nullptr);
  if (!done) {
    std::cerr << "update-distcc-symlinks: " << done.error().message << '\n';
    return 1;
  }
  return 0;
}
