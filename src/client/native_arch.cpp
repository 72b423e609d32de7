#include "client/native_arch.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

namespace dcc {
namespace {

constexpr std::array<std::string_view, 3> kNativeFlags = {"-march=native", "-mtune=native",
                                                          "-mcpu=native"};

// clang target features that have no -m<feature> driver flag.
constexpr std::array<std::string_view, 3> kFeaturesWithoutFlag = {"64bit", "cx8", "cmov"};

// -m... options (gcc or clang driver) that take their value as the next argument.
constexpr std::array<std::string_view, 6> kSeparateArgMOptions = {"-mllvm",
                                                                  "-mmlir",
                                                                  "-mthread-model",
                                                                  "-module-dependency-dir",
                                                                  "-multiply_defined",
                                                                  "-multiply_defined_unused"};

// What the probe compiles: nothing, as C (cc1 is always installed with gcc), to nowhere.
constexpr std::array<std::string_view, 6> kDummyCompile = {"-x",        "c",  "-c",
                                                           "/dev/null", "-o", "/dev/null"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view word) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

bool is_native_flag(std::string_view arg) { return contains(kNativeFlags, arg); }

Error cannot_resolve(std::string_view what, std::string_view cause) {
  return make_error(ExitCode::distcc_failed,
                    "cannot resolve " + std::string(what) + ": " + std::string(cause));
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// One line of `-###` output as the argument vector it prints: words separated by blanks; a word
// that starts with a double quote runs to the closing quote, and inside it `\x` stands for x.
std::vector<std::string> split_command_line(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
      ++i;
      continue;
    }
    std::string word;
    if (line[i] == '"') {
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        word += line[i];
      }
      ++i;  // the closing quote
    } else {
      for (; i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r'; ++i) {
        word += line[i];
      }
    }
    words.push_back(std::move(word));
  }
  return words;
}

std::string_view basename_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The argument vector of the first command whose program is cc1, cc1plus, cc1obj, ...
std::optional<std::vector<std::string>> find_gcc_cc1(std::string_view output) {
  for (std::string_view line : split_lines(output)) {
    if (!line.starts_with(' ')) continue;  // commands are indented; notes are not
    std::vector<std::string> words = split_command_line(line);
    if (!words.empty() && basename_of(words[0]).starts_with("cc1")) return words;
  }
  return std::nullopt;
}

// The argument vector of the first `<clang> -cc1 ...` command (not -cc1as).
std::optional<std::vector<std::string>> find_clang_cc1(std::string_view output) {
  for (std::string_view line : split_lines(output)) {
    std::vector<std::string> words = split_command_line(line);
    if (words.size() >= 2 && words[1] == "-cc1") return words;
  }
  return std::nullopt;
}

bool is_gcc_target_word(std::string_view word) {
  return word.starts_with("-m") || word == "--param" || word.starts_with("--param=");
}

// Cause-only errors (the caller says what could not be resolved).
Result<std::vector<std::string>> gcc_flags(std::string_view output) {
  const std::optional<std::vector<std::string>> cc1 = find_gcc_cc1(output);
  if (!cc1) return make_error(ExitCode::distcc_failed, "gcc -### printed no cc1 line");
  const std::vector<std::string>& words = *cc1;
  std::size_t i = 1;
  while (i < words.size() && !is_gcc_target_word(words[i])) ++i;
  if (i == words.size()) {
    return make_error(ExitCode::distcc_failed, "gcc -### printed no target options for cc1");
  }
  std::vector<std::string> flags;
  for (; i < words.size() && is_gcc_target_word(words[i]); ++i) {
    if (words[i] == "--param") {
      if (i + 1 == words.size()) {
        return make_error(ExitCode::distcc_failed, "gcc -### printed --param without a value");
      }
      flags.push_back("--param=" + words[++i]);
    } else {
      flags.push_back(words[i]);
    }
  }
  // Nothing may stay "native" anywhere on the line: cc1 cannot detect the CPU by itself.
  for (const std::string& word : words) {
    if (word.starts_with("-m") && word.ends_with("=native")) {
      return make_error(ExitCode::distcc_failed, "gcc -### left " + word + " unresolved");
    }
  }
  return flags;
}

Result<std::vector<std::string>> clang_flags(std::string_view output) {
  const std::optional<std::vector<std::string>> cc1 = find_clang_cc1(output);
  if (!cc1) return make_error(ExitCode::distcc_failed, "clang -### printed no -cc1 line");
  const std::vector<std::string>& words = *cc1;
  std::vector<std::string> flags;
  std::vector<std::string> raw_features;  // passed with -Xclang, after everything else
  bool have_cpu = false;
  for (std::size_t i = 2; i + 1 < words.size(); ++i) {
    const std::string& value = words[i + 1];
    if (words[i] == "-target-cpu") {
      flags.push_back("-march=" + value);
      have_cpu = true;
    } else if (words[i] == "-tune-cpu") {
      flags.push_back("-mtune=" + value);
    } else if (words[i] == "-target-feature") {
      if (value.size() < 2 || (value[0] != '+' && value[0] != '-')) {
        return make_error(ExitCode::distcc_failed,
                          "clang -### printed an odd target feature '" + value + "'");
      }
      const std::string name = value.substr(1);
      if (contains(kFeaturesWithoutFlag, name)) {
        raw_features.insert(raw_features.end(), {"-Xclang", "-target-feature", "-Xclang", value});
      } else {
        flags.push_back((value[0] == '+' ? "-m" : "-mno-") + name);
      }
    } else {
      continue;
    }
    ++i;  // the value
  }
  if (!have_cpu) return make_error(ExitCode::distcc_failed, "clang -### printed no -target-cpu");
  flags.insert(flags.end(), raw_features.begin(), raw_features.end());
  return flags;
}

bool looks_like_clang(std::string_view output) { return find_clang_cc1(output).has_value(); }

// Removes the features that the translation passes with -Xclang (they land elsewhere on the
// line) and returns them, in order.
std::vector<std::string> take_raw_features(std::vector<std::string>& words) {
  std::vector<std::string> kept;
  std::vector<std::string> taken;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "-target-feature" && i + 1 < words.size() && !words[i + 1].empty() &&
        contains(kFeaturesWithoutFlag, std::string_view(words[i + 1]).substr(1))) {
      taken.push_back(words[++i]);
    } else {
      kept.push_back(words[i]);
    }
  }
  words = std::move(kept);
  return taken;
}

Status compare_clang_lines(std::string_view native_output, std::string_view translated_output) {
  std::optional<std::vector<std::string>> native = find_clang_cc1(native_output);
  std::optional<std::vector<std::string>> translated = find_clang_cc1(translated_output);
  if (!native || !translated) {
    return make_error(ExitCode::distcc_failed, "clang -### printed no -cc1 line");
  }
  if (take_raw_features(*native) != take_raw_features(*translated)) {
    return make_error(ExitCode::distcc_failed,
                      "the translated flags give clang different 64bit/cx8/cmov features");
  }
  const std::size_t n = std::min(native->size(), translated->size());
  std::size_t i = 0;
  while (i < n && (*native)[i] == (*translated)[i]) ++i;
  if (i == n && native->size() == translated->size()) return {};
  // Quote the differing argument with the one before it: "-target-feature +avx2".
  const auto at = [i](const std::vector<std::string>& words) {
    if (i >= words.size()) return std::string("nothing");
    return "'" + (i > 0 ? words[i - 1] + " " : std::string()) + words[i] + "'";
  };
  return make_error(ExitCode::distcc_failed, "the translated flags give clang -cc1 " +
                                                 at(*translated) + " instead of " + at(*native));
}

// The arguments of argv that decide what "native" expands to: every -m option (with the value
// of the few that take a separate one skipped) and the clang target.
std::vector<std::string> target_context(std::span<const std::string> argv, bool keep_native) {
  std::vector<std::string> context;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (contains(kSeparateArgMOptions, arg)) {
      ++i;
    } else if (arg == "-target") {
      if (i + 1 < argv.size()) context.insert(context.end(), {arg, argv[++i]});
    } else if (arg.starts_with("--target=") || arg.starts_with("-m")) {
      if (keep_native || !is_native_flag(arg)) context.push_back(arg);
    }
  }
  return context;
}

std::vector<std::string> probe_command(const std::string& compiler,
                                       const std::vector<std::string>& before,
                                       const std::vector<std::string>& context) {
  std::vector<std::string> probe = {compiler, "-###"};
  probe.insert(probe.end(), before.begin(), before.end());
  probe.insert(probe.end(), context.begin(), context.end());
  probe.insert(probe.end(), kDummyCompile.begin(), kDummyCompile.end());
  return probe;
}

// The line of a failed run worth quoting: the first mentioning an error, else the first one.
std::string error_line(std::string_view err) {
  std::vector<std::string_view> lines = split_lines(err);
  for (std::string_view line : lines) {
    if (line.find("error") != std::string_view::npos) return std::string(line);
  }
  return lines.empty() ? std::string("(no output)") : std::string(lines.front());
}

// Runs one probe; a failure to run or a non-zero exit is an error cause.
Result<std::string> run_probe(const std::vector<std::string>& probe, const RunCommand& run) {
  const std::string name(basename_of(probe[0]));
  Result<CommandOutput> result = run(probe);
  if (!result) return make_error(ExitCode::distcc_failed, result.error().message);
  if (result->exit_status != 0) {
    return make_error(ExitCode::distcc_failed, name + " -### exited with status " +
                                                   std::to_string(result->exit_status) + ": " +
                                                   error_line(result->err));
  }
  return std::move(result->err);
}

}  // namespace

bool uses_native_cpu(std::span<const std::string> argv) {
  return std::any_of(argv.begin(), argv.end(),
                     [](const std::string& arg) { return is_native_flag(arg); });
}

Result<std::vector<std::string>> parse_native_flags(std::string_view dash_dash_dash_output,
                                                    bool is_clang) {
  Result<std::vector<std::string>> flags =
      is_clang ? clang_flags(dash_dash_dash_output) : gcc_flags(dash_dash_dash_output);
  if (!flags) return cannot_resolve("native CPU flags", flags.error().message);
  return flags;
}

Status check_clang_translation(std::string_view native_output, std::string_view translated_output) {
  Status same = compare_clang_lines(native_output, translated_output);
  if (!same) return cannot_resolve("native CPU flags", same.error().message);
  return {};
}

Result<std::vector<std::string>> resolve_native_cpu(std::span<const std::string> argv,
                                                    const RunCommand& run) {
  if (!uses_native_cpu(argv)) return std::vector<std::string>(argv.begin(), argv.end());
  const std::string native = *std::find_if(argv.begin(), argv.end(),
                                           [](const std::string& a) { return is_native_flag(a); });
  if (argv[0].empty() || argv[0].starts_with('-')) {
    return cannot_resolve(native, "no compiler name in the command line");
  }
  Result<std::string> native_output =
      run_probe(probe_command(argv[0], {}, target_context(argv, true)), run);
  if (!native_output) return cannot_resolve(native, native_output.error().message);

  const bool clang = looks_like_clang(*native_output);
  Result<std::vector<std::string>> flags =
      clang ? clang_flags(*native_output) : gcc_flags(*native_output);
  if (!flags) return cannot_resolve(native, flags.error().message);

  if (clang) {
    Result<std::string> translated_output =
        run_probe(probe_command(argv[0], *flags, target_context(argv, false)), run);
    if (!translated_output) return cannot_resolve(native, translated_output.error().message);
    Status same = compare_clang_lines(*native_output, *translated_output);
    if (!same) return cannot_resolve(native, same.error().message);
  }

  std::vector<std::string> resolved = {argv[0]};
  resolved.insert(resolved.end(), flags->begin(), flags->end());
  std::copy_if(argv.begin() + 1, argv.end(), std::back_inserter(resolved),
               [](const std::string& arg) { return !is_native_flag(arg); });
  return resolved;
}

}  // namespace dcc
