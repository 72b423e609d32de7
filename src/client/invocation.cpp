#include "client/invocation.h"

#include "common/arg_rules.h"

namespace dcc {
namespace {

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Invocation parse_invocation(const std::vector<std::string>& argv) {
  if (argv.empty()) return UsageError{"empty command line"};
  std::string self = basename_of(argv[0]);
  if (self.find("distcc") == std::string::npos) {
    std::vector<std::string> compiler(argv.begin(), argv.end());
    compiler[0] = self;
    return CompilerInvocation{InvocationMode::masquerade, compiler};
  }
  if (argv.size() < 2) return UsageError{"missing option/operand; try distcc --help"};
  const std::string& first = argv[1];
  if (first == "--help") return DistccCommand::help;
  if (first == "--version") return DistccCommand::version;
  if (first == "--show-hosts") return DistccCommand::show_hosts;
  if (first == "-j") return DistccCommand::total_slots;
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  if (first == "--scan-includes") {
    rest.erase(rest.begin());
    if (rest.empty()) return UsageError{"--scan-includes needs a compile command"};
    const std::string& compiler = rest.front();
    if (compiler.front() == '-' || is_source_file(compiler)) rest.insert(rest.begin(), "cc");
    return ScanIncludes{rest};
  }
  if ((!first.empty() && first.front() == '-') || is_source_file(first) || ends_with(first, ".o")) {
    rest.insert(rest.begin(), "cc");
    return CompilerInvocation{InvocationMode::implicit_compiler, rest};
  }
  return CompilerInvocation{InvocationMode::explicit_compiler, rest};
}

std::optional<std::string> trim_masquerade_path(const std::string& argv0, const std::string& path,
                                                const std::optional<std::string>& absolute_dir,
                                                const std::function<bool(const std::string&)>& is_executable) {
  std::string name = basename_of(argv0);
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    bool match = absolute_dir ? dir == *absolute_dir : (!dir.empty() && is_executable(dir + "/" + name));
    if (match) return end >= path.size() ? std::string() : path.substr(end + 1);
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace dcc
