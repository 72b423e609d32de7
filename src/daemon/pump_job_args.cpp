#include "daemon/pump_job_args.h"

#include <array>

namespace dcc {
namespace {

// Options whose path argument is rebased into the root when absolute (3.4's list), longest
// first so that "-iwithprefixbefore/x" is not read as "-iwithprefix" + "before/x".
constexpr std::array<std::string_view, 9> kPathOptions = {"-iwithprefixbefore", "-iwithprefix", "-idirafter",
                                                          "-imacros", "-include", "-iprefix", "-isystem", "-iquote", "-I"};

// Prefix-map options whose OLD part names a client path (OLD=NEW).
constexpr std::array<std::string_view, 3> kPrefixMaps = {"-fdebug-prefix-map=", "-ffile-prefix-map=",
                                                         "-fmacro-prefix-map="};

std::string rebase(const std::string& path, const std::string& root) {
  return !path.empty() && path.front() == '/' ? root + path : path;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Which path option `arg` is, and whether its value is joined ("-Ifoo") or the next argument.
std::string_view path_option(std::string_view arg) {
  for (auto opt : kPathOptions) {
    if (starts_with(arg, opt)) return opt;
  }
  return {};
}

bool is_deps_option(std::string_view arg) { return arg == "-MD" || arg == "-MMD"; }

}  // namespace

std::string make_quoted(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '$') {
      out += "$$";
    } else if (c == ' ' || c == '\t') {
      // GCC doubles the backslashes that precede a blank, then escapes the blank.
      for (std::size_t j = i; j > 0 && name[j - 1] == '\\'; --j) out += '\\';
      out += '\\';
      out += c;
    } else if (c == '#') {
      out += "\\#";
    } else {
      out += c;
    }
  }
  return out;
}

PumpServerCommand pump_server_command(const std::vector<std::string>& client_argv, const std::string& input,
                                      const std::string& root, const std::string& object_path,
                                      const std::string& deps_path) {
  PumpServerCommand cmd;
  if (client_argv.empty()) return cmd;
  cmd.argv.push_back(client_argv[0]);
  cmd.argv.push_back("-ffile-prefix-map=" + root + "=");
  bool wants_deps_file = false;
  bool output_done = false;
  bool input_done = false;
  std::string output_as_written;
  for (std::size_t i = 1; i < client_argv.size(); ++i) {
    const std::string& arg = client_argv[i];
    bool has_next = i + 1 < client_argv.size();
    if (!output_done && arg == "-o" && has_next) {
      output_as_written = client_argv[++i];
      cmd.argv.insert(cmd.argv.end(), {"-o", object_path});
      output_done = true;
    } else if (!output_done && arg.size() > 2 && starts_with(arg, "-o")) {
      output_as_written = arg.substr(2);
      cmd.argv.push_back("-o" + object_path);
      output_done = true;
    } else if (!input_done && arg == input) {
      cmd.argv.push_back(rebase(arg, root));
      input_done = true;
    } else if (arg == "-MF" && has_next) {
      ++i;  // replaced by our own -MF below
    } else if (starts_with(arg, "-MF") && arg.size() > 3) {
      // joined form, likewise replaced
    } else if (auto opt = path_option(arg); !opt.empty()) {
      if (arg.size() == opt.size() && has_next) {
        cmd.argv.push_back(arg);
        cmd.argv.push_back(rebase(client_argv[++i], root));
      } else {
        cmd.argv.push_back(std::string(opt) + rebase(arg.substr(opt.size()), root));
      }
    } else {
      cmd.argv.push_back(arg);
      for (auto map : kPrefixMaps) {
        // The client's own maps name client paths; the compiler sees them under the root. GCC uses
        // the last matching map, so the rebased copy goes after ours (and clang the longest).
        if (starts_with(arg, map) && arg.size() > map.size() && arg[map.size()] == '/') {
          cmd.argv.push_back(std::string(map) + root + arg.substr(map.size()));
        }
      }
      if (is_deps_option(arg)) wants_deps_file = true;
    }
  }
  // The .d always goes to our temporary file (DOTD is part of every successful v3 reply).
  if (!wants_deps_file) cmd.argv.push_back("-MMD");
  cmd.argv.insert(cmd.argv.end(), {"-MF", deps_path});
  cmd.dotd_target = make_quoted(output_as_written);
  return cmd;
}

}  // namespace dcc
