#include "common/arg_safety.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <vector>

namespace dcc {
namespace {

using std::string_view;

// The ends of refusal messages: what the argument would make the compiler do.
constexpr string_view kRunsProgram = "would make the compiler run another program";
constexpr string_view kLoadsCode = "would load code into the compiler";
constexpr string_view kReadsFile = "would make the compiler read a file named by the client";
constexpr string_view kWritesFile =
    "would make the compiler write files outside the job's temporary directory";
constexpr string_view kExtraOutput =
    "would write extra output files that are never sent back to the client";
constexpr string_view kProfile = "would make the compiler read or write profile data files";
constexpr string_view kModules =
    "would make the compiler read or write module files (gcc's module mapper can run a program)";
constexpr string_view kSearchPath =
    "would steer header or library lookup into server directories (the input is already "
    "preprocessed, so it has no use here)";
constexpr string_view kLinkOnly =
    "only matters when linking, which a distributed job never does, and names linker inputs";
constexpr string_view kUnchecked = "would pass options to another tool without this check";
constexpr string_view kDependency =
    "would write a dependency file (a plain-mode client strips -M options)";

enum class Match { exact, prefix };

struct Refusal {
  string_view pattern;
  Match match;
  string_view why;
};

bool matches(string_view arg, const Refusal& r) {
  return r.match == Match::exact ? arg == r.pattern : arg.starts_with(r.pattern);
}

// Refused whatever follows them. Checked before any allowed family, so "-gcc-toolchain" is not
// taken for a -g option nor "-mllvm" for a -m option.
constexpr Refusal kRefused[] = {
    // Running programs.
    {"-wrapper", Match::exact, kRunsProgram},  // CVE-2004-2687 on a stock 3.4 daemon
    {"-B", Match::prefix, "would make the compiler run its helper programs from another directory"},
    {"--prefix", Match::prefix,
     "would make the compiler run its helper programs from another directory"},
    {"-ccc-", Match::prefix, "would change which programs the clang driver runs"},
    {"--gcc-toolchain", Match::prefix, "would make the driver use tools from another directory"},
    {"-gcc-toolchain", Match::prefix, "would make the driver use tools from another directory"},
    {"--gcc-install-dir", Match::prefix, "would make the driver use tools from another directory"},
    {"--ld-path", Match::prefix, kRunsProgram},
    // Loading code or configuration.
    {"-specs", Match::prefix, "would load a specs file, which can run any command"},
    {"--specs", Match::prefix, "would load a specs file, which can run any command"},
    {"--config", Match::prefix, "would read a configuration file of further options"},
    {"-resource-dir", Match::prefix, "would load compiler headers and runtimes from elsewhere"},
    {"-cc1", Match::prefix, "would run the compiler front end directly, bypassing the driver"},
    // Options passed on to another tool unchecked.
    {"-Xclang", Match::exact, kUnchecked},
    {"-Xassembler", Match::exact, kUnchecked},
    {"-Xpreprocessor", Match::exact, kUnchecked},
    {"-Xlinker", Match::exact, kLinkOnly},
    {"-X", Match::prefix, kUnchecked},  // -Xarch_*, -Xopenmp-target, -Xcuda-*, ...
    {"-mllvm", Match::prefix, kUnchecked},
    {"-Wp,", Match::prefix, kUnchecked},
    {"-Wl,", Match::prefix, kLinkOnly},
    // Reading files named on the command line.
    {"@", Match::prefix, "would make the compiler read more arguments from a file"},
    {"-include", Match::prefix, kReadsFile},
    {"-imacros", Match::prefix, kReadsFile},
    // Header and library search: only the preprocessor uses them, and it already ran.
    {"-I", Match::prefix, kSearchPath},  // -I, -Idir, -I-
    {"-isystem", Match::prefix, kSearchPath},
    {"-idirafter", Match::prefix, kSearchPath},
    {"-iprefix", Match::prefix, kSearchPath},
    {"-iwithprefix", Match::prefix, kSearchPath},  // also -iwithprefixbefore
    {"-imultilib", Match::prefix, kSearchPath},
    {"-imultiarch", Match::prefix, kSearchPath},
    {"-iframework", Match::prefix, kSearchPath},
    {"-F", Match::prefix, kSearchPath},  // Darwin framework directories
    // Writing files.
    {"-save-temps", Match::prefix, kWritesFile},
    {"--save-temps", Match::prefix, kWritesFile},
    {"-save-stats", Match::prefix, kWritesFile},
    {"--save-stats", Match::prefix, kWritesFile},
    {"-dumpbase", Match::prefix, "would choose where auxiliary and dump files are written"},
    {"-dumpdir", Match::prefix, "would choose where auxiliary and dump files are written"},
    {"-aux-info", Match::exact, "would write declarations to a file it names"},
    {"--output", Match::prefix, "would name another output file (only -o is allowed)"},
    {"-M", Match::prefix, kDependency},              // -M -MM -MD -MMD -MF -MT -MQ -MG -MP -MJ
    {"-gsplit-dwarf", Match::prefix, kExtraOutput},  // the .dwo
    {"-gen-", Match::prefix, kExtraOutput},  // clang -gen-reproducer, -gen-cdb-fragment-path
    {"-module-", Match::prefix, kModules},   // clang -module-dependency-dir, -module-file-info
    {"-mlink-", Match::prefix, kReadsFile},  // clang -mlink-bitcode-file and friends
    {"--coverage", Match::exact, kProfile},
    // Linking.
    {"-L", Match::prefix, kLinkOnly},
    {"-l", Match::prefix, kLinkOnly},
    {"-T", Match::prefix, kLinkOnly},  // linker script
};

// -f options are allowed except these (prefix match unless marked exact).
constexpr Refusal kRefusedF[] = {
    {"-fplugin", Match::prefix, kLoadsCode},       // -fplugin=, -fplugin-arg-*
    {"-fpass-plugin", Match::prefix, kLoadsCode},  // clang
    {"-fuse-ld", Match::prefix, kRunsProgram},     // picks the linker (-fuse-cxa-atexit is fine)
    {"-foffload", Match::prefix, kRunsProgram},    // runs mkoffload / device compilers
    {"-fopenmp-targets", Match::prefix, kRunsProgram},  // clang device toolchains
    {"-fcompare-debug", Match::prefix, "would run the compiler twice and write .gk dump files"},
    {"-fdump-", Match::prefix, kWritesFile},            // -fdump-tree-all=/any/path names the file
    {"-fopt-info", Match::prefix, kWritesFile},         // -fopt-info-all=/any/path likewise
    {"-fcallgraph-info", Match::prefix, kExtraOutput},  // the .ci file
    {"-fstack-usage", Match::exact, kExtraOutput},      // the .su file
    {"-frepo", Match::exact, kExtraOutput},             // .rpo files
    {"-fvtv-counts", Match::exact, kWritesFile},        // log files
    {"-fvtv-debug", Match::exact, kWritesFile},
    {"-fdiagnostics-add-output", Match::prefix, kWritesFile},  // sarif:file=PATH
    {"-fdiagnostics-set-output", Match::prefix, kWritesFile},
    {"-fdiagnostics-format=sarif-file", Match::exact, kExtraOutput},
    {"-fdiagnostics-format=json-file", Match::exact, kExtraOutput},
    {"-fdeps-", Match::prefix, kWritesFile},              // P1689 module dependency file
    {"-fcrash-diagnostics", Match::prefix, kWritesFile},  // reproducers into a directory
    {"-ftime-trace", Match::prefix, kWritesFile},         // trace JSON, =PATH names it
    {"-fproc-stat-report", Match::prefix, kWritesFile},
    {"-fsave-optimization-record", Match::prefix, kWritesFile},
    {"-foptimization-record-file", Match::prefix, kWritesFile},
    {"-fthin-link-bitcode", Match::prefix, kWritesFile},
    {"-fprofile", Match::prefix, kProfile},  // -fprofile-arcs/-generate/-use/-dir/-list/...
    {"-fauto-profile", Match::prefix, kProfile},
    {"-fbranch-probabilities", Match::prefix, kProfile},
    {"-fcs-profile", Match::prefix, kProfile},
    {"-fmemory-profile", Match::prefix, kProfile},  // -fmemory-profile-use=FILE reads it
    {"-ftest-coverage", Match::exact, kProfile},
    {"-fmodule", Match::prefix, kModules},  // -fmodules, -fmodule-file=, -fmodule-mapper=, ...
    {"-fprebuilt-", Match::prefix, kModules},
    {"-fimplicit-module", Match::prefix, kModules},
    {"-fbuiltin-module-map", Match::prefix, kModules},
    {"-fcxx-modules", Match::exact, kModules},
    {"-fembed-offload-object", Match::prefix, kReadsFile},
    {"-fthinlto-index", Match::prefix, kReadsFile},
    {"-fbasic-block-sections=list", Match::prefix, kReadsFile},
    {"-fxray-always-instrument", Match::prefix, kReadsFile},  // =FILE
    {"-fxray-never-instrument", Match::prefix, kReadsFile},
    {"-fltrans", Match::prefix, "is an internal LTO option that names files"},
    {"-fwpa", Match::prefix, "is an internal LTO option that names files"},
    {"-fresolution", Match::prefix, "is an internal LTO option that names files"},
};

// Safety net for -f options neither list knows (compilers grow new ones every release): a name
// with a word such as "file", "dir", "path" or "...list" probably names a file. These known ones
// only embed or match strings.
constexpr string_view kHarmlessFileWords[] = {
    "-ffile-prefix-map",         "-ffile-compilation-dir",
    "-fdebug-compilation-dir",   "-fcoverage-compilation-dir",
    "-fworking-directory",       "-finstrument-functions-exclude-file-list",
    "-fdeduce-init-list",        "-fsanitize-undefined-strip-path-components",
    "-fdiagnostics-path-format", "-fdiagnostics-show-path-depths",
};

bool names_a_file(string_view name) {  // name: the option without its "=value"
  for (string_view harmless : kHarmlessFileWords) {
    if (name == harmless) return false;
  }
  size_t start = 2;  // after "-f"
  while (start <= name.size()) {
    size_t dash = name.find('-', start);
    if (dash == string_view::npos) dash = name.size();
    const string_view word = name.substr(start, dash - start);
    if (word == "file" || word == "files" || word == "dir" || word == "directory" ||
        word == "path" || word.ends_with("list")) {
      return true;
    }
    start = dash + 1;
  }
  return false;
}

std::string refusal(string_view arg, string_view why) {
  std::string out = "argument \"";
  out += arg;
  out += "\" ";
  out += why;
  return out;
}

std::optional<std::string> check_f_option(string_view a) {
  // Negative forms only switch features off (-fno-profile-arcs, -fno-sanitize-ignorelist, ...).
  if (a.starts_with("-fno-")) return std::nullopt;
  for (const Refusal& r : kRefusedF) {
    if (matches(a, r)) return refusal(a, r.why);
  }
  if (a.starts_with("-fsanitize") && a.substr(0, a.find('=')).find("list") != string_view::npos) {
    return refusal(a, kReadsFile);  // -fsanitize-ignorelist=, -fsanitize-coverage-allowlist=
  }
  if (names_a_file(a.substr(0, a.find('=')))) return refusal(a, kReadsFile);
  return std::nullopt;
}

// -Wa, is refused unless every comma-separated assembler option is one of these, which only
// change the object's contents: no listings (-a...), no --MD, no -I or @file for .include.
bool is_harmless_assembler_option(string_view opt) {
  return opt == "--noexecstack" || opt.starts_with("--compress-debug-sections") ||
         opt == "--nocompress-debug-sections" || opt.starts_with("-mrelax-relocations=") ||
         opt.starts_with("--gdwarf-") || opt == "--fatal-warnings" ||
         opt.starts_with("-mx86-used-note=");
}

std::optional<std::string> check_assembler_options(string_view a) {
  size_t start = 4;  // after "-Wa,"
  for (;;) {
    const size_t comma = a.find(',', start);
    const string_view opt = a.substr(start, comma == string_view::npos ? comma : comma - start);
    if (!is_harmless_assembler_option(opt)) {
      std::string why = "would pass \"";
      why += opt;
      why += "\" to the assembler, which can read or write files";
      return refusal(a, why);
    }
    if (comma == string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

// Languages whose compilers are the C family proper; others may run other programs (cuda runs
// ptxas) or read files (gccgo reads import data). Preprocessing languages are allowed because a
// stock client sends "-x c++" as the user wrote it; see the header about input text.
bool is_allowed_language(string_view lang) {
  static constexpr string_view kLanguages[] = {"c",
                                               "c++",
                                               "objective-c",
                                               "objective-c++",
                                               "cpp-output",
                                               "c++-cpp-output",
                                               "objective-c-cpp-output",
                                               "objective-c++-cpp-output",
                                               "objc-cpp-output",
                                               "objc++-cpp-output"};
  for (string_view allowed : kLanguages) {
    if (lang == allowed) return true;
  }
  return false;
}

struct JobShape {
  bool compile_only = false;  // -c or -S seen
  int outputs = 0;
  int inputs = 0;
};

struct ValuedOption {
  string_view name;
  bool joinable;  // "-DX" as well as "-D X"
};

// Allowed options that take a value. "--param=X" and "--target=X" are plain flags below.
constexpr ValuedOption kValued[] = {{"-o", true},      {"-x", true},      {"-D", true},
                                    {"-U", true},      {"-iquote", true}, {"--param", false},
                                    {"-target", false},
                                    // A stock 3.4 client does not strip these (Yocto and other
                                    // cross builds pass them). They only steer header and library
                                    // search; the source can name no file (source_safety), and
                                    // nothing is linked, so they read nothing here.
                                    {"--sysroot", true}, {"-isysroot", true}};

// Checks `a` if it is one of kValued (advancing i past a separate value); sets `handled`.
std::optional<std::string> check_valued_option(std::span<const std::string> args, size_t& i,
                                               JobShape& job, bool& handled) {
  const string_view a = args[i];
  for (const ValuedOption& opt : kValued) {
    const bool separate = a == opt.name;
    if (!separate && !(opt.joinable && a.starts_with(opt.name))) continue;
    handled = true;
    if (separate && i + 1 >= args.size()) return refusal(a, "is missing its value");
    const string_view value = separate ? string_view(args[++i]) : a.substr(opt.name.size());
    if (opt.name == "-o" && ++job.outputs > 1) {
      return refusal(a, "would name a second output file (only the server's -o is allowed)");
    }
    if (opt.name == "-x" && !is_allowed_language(value)) {
      std::string why = "would compile the input as \"";
      why += value;
      why += "\", which may run other programs or read files (only C-family languages are allowed)";
      return refusal(a, why);
    }
    return std::nullopt;
  }
  handled = false;
  return std::nullopt;
}

// Allowed options without a value.
bool is_allowed_flag(string_view a) {
  static constexpr string_view kExact[] = {
      "-w", "-ansi", "-pipe", "-pthread", "-p", "-pg", "-Qunused-arguments",
      // Restrict rather than widen header search; a stock client strips them anyway.
      "-nostdinc", "-nostdinc++", "-undef"};
  for (string_view flag : kExact) {
    if (a == flag) return true;
  }
  return a.starts_with("-O") || a.starts_with("-g") || a.starts_with("-W") || a.starts_with("-m") ||
         a.starts_with("-f") || a.starts_with("-pedantic") || a.starts_with("-std=") ||
         a.starts_with("--std=") || a.starts_with("--target=") || a.starts_with("--param=");
}

std::optional<std::string> check_option(std::span<const std::string> args, size_t& i,
                                        JobShape& job) {
  const string_view a = args[i];
  if (a == "-c" || a == "-S") {
    job.compile_only = true;
    return std::nullopt;
  }
  for (const Refusal& r : kRefused) {
    if (matches(a, r)) return refusal(a, r.why);
  }
  if (a.starts_with("-Wa,")) return check_assembler_options(a);
  if (a.starts_with("-f")) {
    if (std::optional<std::string> unsafe = check_f_option(a)) return unsafe;
  }
  bool handled = false;
  std::optional<std::string> unsafe = check_valued_option(args, i, job, handled);
  if (handled) return unsafe;
  if (is_allowed_flag(a)) return std::nullopt;
  return refusal(a, "is not a known-safe compiler option");
}

}  // namespace

std::optional<std::string> find_unsafe_argument(std::span<const std::string> args) {
  JobShape job;
  for (size_t i = 0; i < args.size(); ++i) {
    const string_view a = args[i];
    std::optional<std::string> unsafe;
    if (a.starts_with("-") || a.starts_with("@")) {
      unsafe = check_option(args, i, job);
    } else if (++job.inputs > 1) {
      unsafe = refusal(a, "would be a second input file (only the server's temp file is allowed)");
    }
    if (unsafe) return unsafe;
  }
  if (!job.compile_only) return "neither -c nor -S: the compiler would run the linker";
  if (job.outputs == 0) return "no -o: the compiler would choose where to write its output";
  if (job.inputs == 0) return "no input file";
  return std::nullopt;
}

std::optional<std::string> find_unsafe_pump_argument(std::span<const std::string> args) {
  static constexpr string_view kWithValue[] = {"-I", "-iquote", "-isystem", "-idirafter", "-include",
                                               "-imacros", "-MF", "-MT", "-MQ"};
  static constexpr string_view kFlags[] = {"-MD", "-MMD", "-MP"};
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const string_view a = args[i];
    if (std::find(std::begin(kFlags), std::end(kFlags), a) != std::end(kFlags)) continue;
    bool pump_option = false;
    for (string_view opt : kWithValue) {
      if (a == opt) {
        if (i + 1 >= args.size()) return refusal(a, "is missing its value");
        ++i;
        pump_option = true;
        break;
      }
      if (a.starts_with(opt)) {
        pump_option = true;
        break;
      }
    }
    if (!pump_option) rest.emplace_back(a);
  }
  return find_unsafe_argument(rest);
}

}  // namespace dcc
