#include "tools/update-distcc-symlinks/symlinks_options.h"

#include <optional>

#include "tools/update-distcc-symlinks/masquerade_scan.h"

namespace dcc {

const char* const kSymlinksUsage =
    "Usage: update-distcc-symlinks [OPTIONS]\n"
    "Creates a link to distcc in the masquerade directory for every compiler installed in the\n"
    "bin directory, and removes links whose compiler is gone.\n"
    "\n"
    "  --root DIR            look for everything under DIR instead of / (staging trees, tests)\n"
    "  --masquerade-dir DIR  the directory of links (default ROOT/usr/lib/distcc)\n"
    "  --bin-dir DIR         where compilers are looked for (default ROOT/usr/bin)\n"
    "  --distcc PATH         what each new link points to (default ../../bin/distcc)\n"
    "  -v, --verbose         print each link added or removed\n"
    "  -h, --help            print this help and exit\n";

namespace {

struct Pending {
  std::optional<std::string> masquerade_dir, bin_dir;
};

Error usage_error(const std::string& message) {
  return make_error(ExitCode::bad_arguments, message);
}

}  // namespace

Result<SymlinksOptions> parse_symlinks_options(const std::vector<std::string>& args) {
  SymlinksOptions out;
  Pending pending;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::optional<std::string> inline_value;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    auto value = [&]() -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    if (arg == "-v" || arg == "--verbose") {
      out.verbose = true;
    } else if (arg == "-h" || arg == "--help") {
      out.help = true;
    } else if (arg == "--root" || arg == "--masquerade-dir" || arg == "--bin-dir" ||
               arg == "--distcc") {
      auto v = value();
      if (!v || v->empty()) return usage_error(arg + " needs a value");
      if (arg == "--root") out.request.root = *v;
      if (arg == "--masquerade-dir") pending.masquerade_dir = *v;
      if (arg == "--bin-dir") pending.bin_dir = *v;
      if (arg == "--distcc") out.request.link_target = *v;
    } else {
      return usage_error("unknown option " + args[i] + " (see --help)");
    }
  }
  out.request.masquerade_dir =
      pending.masquerade_dir.value_or(under_root(out.request.root, "/usr/lib/distcc"));
  out.request.bin_dir = pending.bin_dir.value_or(under_root(out.request.root, "/usr/bin"));
  return out;
}

}  // namespace dcc
