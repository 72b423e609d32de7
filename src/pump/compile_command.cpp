#include "pump/compile_command.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace dcc::pump {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Options whose value is the next word (when not attached) and that analysis does not need.
constexpr std::array<std::string_view, 17> kSkipWithValue = {
    "-o", "-MF", "-MT", "-MQ",     "-Xassembler", "-Xlinker", "-aux-info", "-arch",         "-L",
    "-T", "-u",  "-z",  "-Xclang", "-dumpbase",   "-dumpdir", "-auxbase",  "-auxbase-strip"};

// Options that change where the compiler looks for headers in ways we do not model.
constexpr std::array<std::string_view, 6> kUnsupported = {
    "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-Xpreprocessor", "-imultilib", "-Wp,"};

Error give_up(const std::string& why) {
  return make_error(ExitCode::distcc_failed, "pump: " + why);
}

// `-Ifoo` or `-I foo`: the value, consuming the next word if needed. False if it is missing.
bool take_value(std::span<const std::string> argv, std::size_t& i, std::string_view flag,
                std::string& value) {
  const std::string& arg = argv[i];
  if (arg.size() > flag.size()) {
    value = arg.substr(flag.size());
    if (value.front() == '=' && (flag == "--sysroot")) value.erase(0, 1);
    return true;
  }
  if (i + 1 >= argv.size()) return false;
  value = argv[++i];
  return true;
}

}  // namespace

std::string language_of(const std::string& source) {
  auto dot = source.rfind('.');
  if (dot == std::string::npos) return "";
  std::string ext = source.substr(dot + 1);
  if (ext == "c") return "c";
  if (ext == "cc" || ext == "cpp" || ext == "cxx" || ext == "cp" || ext == "c++" || ext == "C" ||
      ext == "CPP" || ext == "CC" || ext == "CXX")
    return "c++";
  if (ext == "m") return "objective-c";
  if (ext == "mm" || ext == "M") return "objective-c++";
  if (ext == "S" || ext == "sx") return "assembler-with-cpp";
  return "";
}

Result<CompileCommand> parse_compile_command(std::span<const std::string> argv) {
  if (argv.empty()) return give_up("empty compile command");
  CompileCommand cmd;
  cmd.compiler = argv[0];
  std::string forced_language;
  std::vector<std::string> sources;
  std::vector<std::string> before_split;  // -I dirs seen before -I-
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    std::string value;
    auto value_of = [&](std::string_view flag) -> bool {
      if (!take_value(argv, i, flag, value)) return false;
      return true;
    };
    if (arg.empty()) continue;
    if (arg[0] == '@') return give_up("response file " + arg + " is not supported");
    for (auto bad : kUnsupported) {
      if (starts_with(arg, bad)) return give_up(std::string(bad) + " is not supported");
    }
    if (arg[0] != '-') {
      // Object files and libraries on a compile-and-link line are not ours to analyse.
      if (!forced_language.empty() || !language_of(arg).empty()) sources.push_back(arg);
    } else if (arg == "-I-") {
      cmd.no_current_dir = true;
      before_split.insert(before_split.end(), cmd.include_dirs.begin(), cmd.include_dirs.end());
      cmd.include_dirs.clear();
    } else if (starts_with(arg, "-iquote")) {
      if (!value_of("-iquote")) return give_up("-iquote without a directory");
      cmd.quote_dirs.push_back(value);
    } else if (starts_with(arg, "-isystem")) {
      if (!value_of("-isystem")) return give_up("-isystem without a directory");
      cmd.isystem_dirs.push_back(value);
    } else if (starts_with(arg, "-idirafter")) {
      if (!value_of("-idirafter")) return give_up("-idirafter without a directory");
      cmd.after_dirs.push_back(value);
    } else if (starts_with(arg, "-isysroot")) {
      if (!value_of("-isysroot")) return give_up("-isysroot without a directory");
      cmd.default_dir_flags.insert(cmd.default_dir_flags.end(), {"-isysroot", value});
    } else if (arg == "-imacros" || arg == "-include") {
      // Separate-only in gcc; "-include-pch" and the like are other options.
      if (i + 1 >= argv.size()) return give_up(arg + " without a file");
      (arg == "-include" ? cmd.forced_includes : cmd.imacros).push_back(argv[++i]);
    } else if (starts_with(arg, "-include") || starts_with(arg, "-imacros")) {
      return give_up(arg + " is not supported");
    } else if (starts_with(arg, "-I")) {
      if (!value_of("-I")) return give_up("-I without a directory");
      cmd.include_dirs.push_back(value);
    } else if (starts_with(arg, "-D")) {
      if (!value_of("-D")) return give_up("-D without a macro");
      cmd.macro_defines.push_back(value);
    } else if (starts_with(arg, "-U")) {
      if (!value_of("-U")) return give_up("-U without a macro");
    } else if (starts_with(arg, "--sysroot")) {
      if (!value_of("--sysroot")) return give_up("--sysroot without a directory");
      cmd.default_dir_flags.push_back("--sysroot=" + value);
    } else if (arg == "-x") {
      if (i + 1 >= argv.size()) return give_up("-x without a language");
      forced_language = argv[++i];
    } else if (starts_with(arg, "-x")) {
      forced_language = arg.substr(2);
    } else if (starts_with(arg, "-std=") || arg == "-ansi" || arg == "-m32" || arg == "-m64" ||
               arg == "-mx32" || arg == "-nostdinc" || arg == "-nostdinc++" ||
               starts_with(arg, "-stdlib=") || starts_with(arg, "--target=") ||
               starts_with(arg, "-specs=") || starts_with(arg, "-B")) {
      cmd.default_dir_flags.push_back(arg);
    } else if (std::find(kSkipWithValue.begin(), kSkipWithValue.end(), arg) !=
               kSkipWithValue.end()) {
      ++i;
    }
  }
  if (sources.size() != 1) {
    return give_up(sources.empty() ? "no source file" : "more than one source file");
  }
  cmd.source = sources.front();
  if (!forced_language.empty() && forced_language != "none") {
    cmd.language = forced_language;
  } else {
    cmd.language = language_of(cmd.source);
  }
  if (cmd.language != "c" && cmd.language != "c++" && cmd.language != "objective-c" &&
      cmd.language != "objective-c++" && cmd.language != "assembler-with-cpp") {
    return give_up(
        "cannot analyse the includes of " + cmd.source +
        (cmd.language.empty() ? " (unknown language)" : " (language " + cmd.language + ")"));
  }
  cmd.quote_dirs.insert(cmd.quote_dirs.begin(), before_split.begin(), before_split.end());
  auto sysroot_relative = [](const std::string& dir) {
    return !dir.empty() && (dir[0] == '=' || starts_with(dir, "$SYSROOT"));
  };
  for (const auto* dirs :
       {&cmd.quote_dirs, &cmd.include_dirs, &cmd.isystem_dirs, &cmd.after_dirs}) {
    if (std::any_of(dirs->begin(), dirs->end(), sysroot_relative)) {
      return give_up("sysroot-relative include directories are not supported");
    }
  }
  return cmd;
}

}  // namespace dcc::pump
