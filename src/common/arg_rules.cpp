#include "common/arg_rules.h"

#include <cstddef>

namespace dcc {
namespace {

using std::string_view;

// dcc_find_extension: from the last '.' of the whole path (not only the basename), provided at
// least one character follows it.
std::optional<string_view> find_extension(string_view path) {
  const size_t dot = path.rfind('.');
  if (dot == string_view::npos || dot + 1 == path.size()) return std::nullopt;
  return path.substr(dot);
}

// dcc_find_basename: everything after the last '/', or the whole path if it ends with '/'.
string_view find_basename(string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == string_view::npos || slash + 1 == path.size()) return path;
  return path.substr(slash + 1);
}

bool ends_with(string_view s, string_view suffix) { return s.ends_with(suffix); }

// dcc_source_needs_local: autoconf probes always run locally.
bool is_configure_test(string_view source) {
  const string_view base = find_basename(source);
  return base.starts_with("conftest.") || base.starts_with("tmp.conftest.");
}

bool is_profiling_option(string_view a) {
  return a == "-fprofile-arcs" || a == "-ftest-coverage" || a == "--coverage" ||
         a.starts_with("-fprofile-generate") || a.starts_with("-fprofile-use") ||
         a.starts_with("-fauto-profile") || a == "-fprofile-correction";
}

// 3.4 accepts the -x language when the *next* argument starts with c, c++, objective-c,
// objective-c++ or go ("c" already covers "c++", "objective-c" covers "objective-c++").
bool is_distributable_language(string_view next) {
  return next.starts_with("c") || next.starts_with("objective-c") || next.starts_with("go");
}

bool is_response_file(string_view a) { return a.starts_with("@"); }

struct ScanState {
  bool seen_c = false;
  bool seen_s = false;
  std::optional<std::string> input;
  std::optional<std::string> output;
  bool output_from_operand = false;  // the output came from a bare "*.o" operand, not -o
};

std::optional<LocalReason> note_output(ScanState& state, string_view file, bool from_operand) {
  if (state.output) return LocalReason::multiple_outputs;  // "called for link?  i give up"
  state.output = std::string(file);
  state.output_from_operand = from_operand;
  return std::nullopt;
}

// Options 3.4 distributes that we run locally instead.
std::optional<LocalReason> check_fixed_options(string_view a) {
  // Fix: the temporaries (.i, .s) would be written on the server and never come back.
  if (a.starts_with("-save-temps") || a.starts_with("--save-temps")) return LocalReason::save_temps;
  // Fix: the .dwo file would stay on the server.
  if (a.starts_with("-gsplit-dwarf")) return LocalReason::split_dwarf;
  // Fix: a 3.4 server drops -fplugin= jobs (and the host gets backed off); plugins are local
  // files anyway. clang's -fpass-plugin= loads code the same way.
  if (a.starts_with("-fplugin") || a.starts_with("-fpass-plugin")) {
    return LocalReason::compiler_plugin;
  }
  // Fix: runs a user-chosen program around every compiler pass; our servers refuse it.
  if (a == "-wrapper") return LocalReason::wrapper;
  // Fix: 3.4 only caught "-specs="; gcc also takes "--specs=" (and our servers refuse all).
  if (a.starts_with("-specs") || a.starts_with("--specs")) return LocalReason::specs_file;
  return std::nullopt;
}

// One option (argv[i] starts with '-'), in 3.4's order; the first rule that matches decides.
// May advance i past an option argument (-MF/-MT/-MQ/-o).
std::optional<LocalReason> scan_option(std::span<const std::string> argv, size_t& i,
                                       ScanState& state) {
  const string_view a = argv[i];
  if (a == "-E") return LocalReason::preprocess_only;
  if (a == "-MD" || a == "-MMD" || a == "-MG" || a == "-MP") return std::nullopt;
  if (a == "-MF" || a == "-MT" || a == "-MQ") {
    if (i + 1 < argv.size()) ++i;  // 3.4 skips the file name unseen (even "-E" or "x.c")
    if (is_response_file(argv[i])) return LocalReason::response_file;
    return std::nullopt;
  }
  if (a.starts_with("-MF") || a.starts_with("-MT") || a.starts_with("-MQ")) return std::nullopt;
  if (a.size() > 1 && a[1] == 'M') return LocalReason::dependencies_only;
  if (a == "-march=native" || a == "-mtune=native") return LocalReason::march_native;
  if (a == "-flto") return LocalReason::lto;
  if (a.starts_with("-Wa,")) {
    if (a.find(",-a") != string_view::npos || a.find("--MD") != string_view::npos) {
      return LocalReason::assembler_listing;
    }
    return std::nullopt;
  }
  if (a.starts_with("-specs=")) return LocalReason::specs_file;
  if (a == "-S") {
    state.seen_s = true;
    return std::nullopt;
  }
  if (is_profiling_option(a)) return LocalReason::profiling;
  if (a == "-frepo") return LocalReason::frepo;
  if (a.starts_with("-x")) {
    // Quirk kept from 3.4: the language is always read from the *next* argument, also for the
    // joined form ("-xc -c a.c" is local), and that argument is not skipped.
    if (i + 1 < argv.size() && !is_distributable_language(argv[i + 1])) {
      return LocalReason::unsupported_language;
    }
    return std::nullopt;
  }
  if (a.starts_with("-dr")) return LocalReason::rtl_dump;
  if (a == "-c") {
    state.seen_c = true;
    return std::nullopt;
  }
  if (a == "-o") {
    // Fix: 3.4 read past the end of argv here.
    if (i + 1 == argv.size()) return LocalReason::missing_output_name;
    ++i;
    if (is_response_file(argv[i])) return LocalReason::response_file;
    return note_output(state, argv[i], false);
  }
  // Quirk kept from 3.4: anything starting with "-o" is a joined output, e.g. clang's "-objcmt-*".
  if (a.starts_with("-o")) return note_output(state, a.substr(2), false);
  return check_fixed_options(a);
}

std::optional<LocalReason> scan_operand(string_view a, ScanState& state) {
  if (is_source_file(a)) {
    if (state.input) return LocalReason::multiple_sources;  // "do we have two inputs?"
    state.input = std::string(a);
    return std::nullopt;
  }
  if (ends_with(a, ".o")) return note_output(state, a, true);
  return std::nullopt;  // libraries, linker scripts, option values: ignored as in 3.4
}

// The checks after the scan, in 3.4's order. Appends "-o <default>" to argv when needed.
Classification finish(std::vector<std::string> argv, ScanState state) {
  if (!state.seen_c && !state.seen_s) return LocalReason::not_compiling;
  if (!state.input) return LocalReason::no_source_file;
  if (is_configure_test(*state.input)) return LocalReason::configure_test;
  if (!state.output) {
    // -S wins over -c: "gcc -c -S a.c" writes a.s.
    std::optional<std::string> synthesised = default_output_name(*state.input, state.seen_s);
    if (!synthesised) return LocalReason::bad_source_name;
    argv.emplace_back("-o");
    argv.push_back(*synthesised);
    state.output = std::move(synthesised);
  } else if (state.output_from_operand) {
    return LocalReason::object_operand;
  }
  if (*state.output == "-") return LocalReason::output_to_stdout;
  return RemoteJob{std::move(argv), std::move(*state.input), std::move(*state.output),
                   state.seen_s};
}

}  // namespace

std::string_view describe(LocalReason reason) {
  switch (reason) {
    case LocalReason::preprocess_only:
      return "-E: preprocessing only";
    case LocalReason::dependencies_only:
      return "-M/-MM: dependency listing only";
    case LocalReason::march_native:
      return "-march=native/-mtune=native: tuned to this CPU";
    case LocalReason::lto:
      return "-flto: link-time optimisation";
    case LocalReason::assembler_listing:
      return "-Wa,-a/--MD: assembler listing or dependency file";
    case LocalReason::specs_file:
      return "-specs: specs file";
    case LocalReason::profiling:
      return "profiling: profile data is read or written locally";
    case LocalReason::frepo:
      return "-frepo: writes .rpo files";
    case LocalReason::unsupported_language:
      return "-x: language not distributed";
    case LocalReason::rtl_dump:
      return "-dr: writes RTL dump files";
    case LocalReason::multiple_outputs:
      return "more than one output: linking?";
    case LocalReason::multiple_sources:
      return "more than one source file";
    case LocalReason::not_compiling:
      return "no -c or -S: not a compilation";
    case LocalReason::no_source_file:
      return "no source file";
    case LocalReason::configure_test:
      return "conftest.*: autoconf test";
    case LocalReason::output_to_stdout:
      return "-o -: output to stdout";
    case LocalReason::bad_source_name:
      return "source file name too short for a default output";
    case LocalReason::save_temps:
      return "-save-temps: intermediate files";
    case LocalReason::split_dwarf:
      return "-gsplit-dwarf: .dwo file";
    case LocalReason::compiler_plugin:
      return "-fplugin: compiler plugin";
    case LocalReason::wrapper:
      return "-wrapper: runs another program";
    case LocalReason::response_file:
      return "@file: response file not expanded";
    case LocalReason::missing_output_name:
      return "-o without a file name";
    case LocalReason::object_operand:
      return "*.o operand without -o";
  }
  return "unknown reason";
}

Classification classify(std::span<const std::string> original) {
  std::vector<std::string> argv = expand_preprocessor_options(original);
  ScanState state;
  // argv[0] is the compiler; 3.4 scanned it too, which can only matter for a compiler whose
  // name ends in ".o" or a source extension.
  for (size_t i = 1; i < argv.size(); ++i) {
    const string_view a = argv[i];
    std::optional<LocalReason> local;
    if (is_response_file(a)) {
      local = LocalReason::response_file;
    } else if (a.starts_with("-")) {
      local = scan_option(argv, i, state);
    } else {
      local = scan_operand(a, state);
    }
    if (local) return *local;
  }
  return finish(std::move(argv), std::move(state));
}

std::vector<std::string> expand_preprocessor_options(std::span<const std::string> argv) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (const std::string& arg : argv) {
    if (!arg.starts_with("-Wp,")) {
      out.push_back(arg);
      continue;
    }
    std::vector<std::string> pieces;
    size_t start = 4;
    for (;;) {
      const size_t comma = arg.find(',', start);
      pieces.push_back(arg.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    for (size_t p = 0; p < pieces.size(); ++p) {
      out.push_back(pieces[p]);
      // "-Wp,-MD,file": cpp's -MD takes the file name, the driver's -MD does not.
      if ((pieces[p] == "-MD" || pieces[p] == "-MMD") && p + 1 < pieces.size()) {
        out.emplace_back("-MF");
        out.push_back(pieces[++p]);
      }
    }
  }
  return out;
}

std::vector<std::string> strip_local_args(std::span<const std::string> argv) {
  static constexpr string_view kWithValue[] = {"-D",        "-I",
                                               "-U",        "-L",
                                               "-l",        "-MF",
                                               "-MT",       "-MQ",
                                               "-include",  "-imacros",
                                               "-iprefix",  "-iwithprefix",
                                               "-isystem",  "-iwithprefixbefore",
                                               "-idirafter"};
  static constexpr string_view kJoinedPrefix[] = {
      "-Wp,", "-Wl,", "-D", "-U", "-I", "-l", "-L", "-MF", "-MT", "-MQ", "-isystem", "-stdlib"};
  static constexpr string_view kExact[] = {"-undef", "-nostdinc", "-nostdinc++", "-MD",
                                           "-MMD",   "-MG",       "-MP"};
  auto in = [](string_view a, auto& list, bool prefix) {
    for (string_view item : list) {
      if (prefix ? a.starts_with(item) : a == item) return true;
    }
    return false;
  };
  std::vector<std::string> out;
  if (argv.empty()) return out;
  out.push_back(argv[0]);
  for (size_t i = 1; i < argv.size(); ++i) {
    const string_view a = argv[i];
    if (in(a, kWithValue, false)) {
      if (i + 1 < argv.size()) ++i;  // the option's argument goes too
    } else if (!in(a, kJoinedPrefix, true) && !in(a, kExact, false)) {
      out.push_back(argv[i]);
    }
  }
  return out;
}

std::vector<std::string> make_preprocess_argv(std::span<const std::string> argv) {
  std::vector<std::string> out;
  if (argv.empty()) return out;
  out.push_back(argv[0]);
  for (size_t i = 1; i < argv.size(); ++i) {
    const string_view a = argv[i];
    if (a == "-o") {
      ++i;  // and its file name
    } else if (a.starts_with("-o")) {
      // joined "-oFILE": dropped
    } else if (a == "-c" || a == "-S") {
      out.emplace_back("-E");
    } else {
      out.push_back(argv[i]);
    }
  }
  return out;
}

bool is_source_file(string_view path) {
  const std::optional<string_view> ext = find_extension(path);
  if (!ext) return false;
  static constexpr string_view kSource[] = {".i",   ".ii", ".c", ".cc", ".cpp", ".cxx", ".cp",
                                            ".c++", ".C",  ".m", ".mm", ".mi",  ".mii", ".M"};
  for (string_view s : kSource) {
    if (*ext == s) return true;
  }
  return false;
}

bool is_preprocessed_file(string_view path) {
  const std::optional<string_view> ext = find_extension(path);
  return ext && (*ext == ".i" || *ext == ".ii" || *ext == ".mi" || *ext == ".mii");
}

std::string preprocessed_extension(string_view path) {
  const string_view e = find_extension(path).value_or("");
  if (e == ".c" || e == ".i") return ".i";
  if (e == ".cc" || e == ".cpp" || e == ".cxx" || e == ".cp" || e == ".c++" || e == ".C" ||
      e == ".ii") {
    return ".ii";
  }
  if (e == ".m" || e == ".mi") return ".mi";
  if (e == ".mm" || e == ".M" || e == ".mii") return ".mii";
  if (e == ".s" || e == ".S") return ".s";
  return ".tmp";
}

std::optional<std::string> default_output_name(string_view source, bool assemble_only) {
  // Unlike find_basename, a trailing '/' leaves an empty (hence too short) name, as in 3.4.
  const size_t slash = source.rfind('/');
  const string_view base = slash == string_view::npos ? source : source.substr(slash + 1);
  if (base.size() < 3) return std::nullopt;  // "source file %s is bogus"
  const size_t dot = base.rfind('.');
  if (dot == string_view::npos || dot + 1 == base.size()) return std::nullopt;
  std::string out(base.substr(0, dot));
  out += assemble_only ? ".s" : ".o";
  return out;
}

}  // namespace dcc
