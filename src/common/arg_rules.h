// Client-side argument rules: may this compiler command line be compiled on another machine, and
// if so, what are its input and output? Also the argv rewrites of plain (non-pump) mode: the
// `-Wp,` pre-pass, the local preprocessor command line and the list of options the server never
// needs. Behaviour follows distcc 3.4 (arg.c dcc_scan_args, strip.c, filename.c) rule for rule;
// the few deliberate departures are marked "Fix:" in arg_rules.cpp and listed in LocalReason.
//
// Pure functions: no environment, no file system, no global state.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dcc {

// Why a command line must be compiled locally. One enumerator per rule.
enum class LocalReason {
  // distcc 3.4 rules (§1.4 of the facts file).
  preprocess_only,       // -E (3.4 uses the --localslots_cpp pool for this one)
  dependencies_only,     // -M, -MM and any other -M... except -MD -MMD -MG -MP -MF -MT -MQ
  march_native,          // -march=native, -mtune=native
  lto,                   // -flto exactly (-flto=auto / -flto=thin are distributed)
  assembler_listing,     // -Wa,... containing ",-a" or "--MD"
  specs_file,            // -specs=... (Fix: also -specs, --specs...)
  profiling,             // -fprofile-arcs -ftest-coverage --coverage -fprofile-generate*
                         // -fprofile-use* -fauto-profile* -fprofile-correction
  frepo,                 // -frepo
  unsupported_language,  // -x... whose next argument is not c*, objective-c*, go*
  rtl_dump,              // -dr...
  multiple_outputs,      // -o twice, or -o plus a bare *.o operand
  multiple_sources,      // two source files
  not_compiling,         // neither -c nor -S (linking, or nothing at all)
  no_source_file,        // no operand with a source extension (.s, .S, headers, ...)
  configure_test,        // source basename starts with "conftest." or "tmp.conftest."
  output_to_stdout,      // -o -
  bad_source_name,       // no output given and the source basename is shorter than 3 chars
  // Deliberate fixes: distributed by 3.4, wrong or unsafe remotely.
  save_temps,           // -save-temps*: the temporaries would stay on the server
  split_dwarf,          // -gsplit-dwarf*: the .dwo would stay on the server
  compiler_plugin,      // -fplugin*, -fpass-plugin*: a 3.4 server drops the job
  wrapper,              // -wrapper: runs another program around each compiler pass
  response_file,        // an argument starting with '@' that the caller could not expand
  missing_output_name,  // -o as the last argument (3.4 read past the end of argv)
  object_operand,       // a bare *.o operand and no -o: a 3.4 server cannot find -o to
                        // replace and fails the job, so 3.4 ended up local anyway
};

// Short human text used in logs, e.g. "-E: preprocessing only".
std::string_view describe(LocalReason reason);

struct RemoteJob {
  std::vector<std::string> argv;  // full command line (argv[0] = compiler), after the -Wp,
                                  // pre-pass, with "-o <default>" appended if there was no output
  std::string input;              // the source file as written
  std::string output;             // the object (or .s with -S) as written / synthesised
  bool assemble_only = false;     // -S seen
  bool operator==(const RemoteJob&) const = default;
};

using Classification = std::variant<RemoteJob, LocalReason>;

// The local-vs-remote decision (dcc_scan_args). argv[0] is the compiler. The -Wp, pre-pass is
// applied first, so RemoteJob::argv is the expanded command line. Readable @files must have been
// expanded by the caller, and -march=native resolved if the caller wants it distributed.
Classification classify(std::span<const std::string> argv);

// dcc_expand_preprocessor_options: every "-Wp,a,b" becomes "a" "b"; "-Wp,-MD,f" becomes
// "-MD" "-MF" "f" (likewise -MMD). Idempotent.
std::vector<std::string> expand_preprocessor_options(std::span<const std::string> argv);

// dcc_strip_local_args: the command line plain mode sends to the server (§1.5 item 2).
std::vector<std::string> strip_local_args(std::span<const std::string> argv);

// The local preprocessor command line (§1.5 item 1): every "-o X" and "-oX" removed, every -c
// and -S replaced by -E. The caller redirects stdout to the .i file.
std::vector<std::string> make_preprocess_argv(std::span<const std::string> argv);

// dcc_is_source: .i .ii .c .cc .cpp .cxx .cp .c++ .C .m .mm .mi .mii .M (case-sensitive; the
// extension is everything after the last '.' of the whole path).
bool is_source_file(std::string_view path);

// dcc_is_preprocessed: .i .ii .mi .mii.
bool is_preprocessed_file(std::string_view path);

// dcc_preproc_exten: the extension of the preprocessed form of `path`: ".i", ".ii", ".mi",
// ".mii", ".s" for .s/.S (any case), and ".tmp" for anything else (what a 3.4 server uses).
std::string preprocessed_extension(std::string_view path);

// dcc_output_from_source: the file `cc -c path` (or -S when assemble_only) writes: the basename
// with its extension replaced by ".o" (or ".s"), in the current directory. nullopt if the
// basename is shorter than 3 characters or has no extension.
std::optional<std::string> default_output_name(std::string_view source, bool assemble_only);

}  // namespace dcc
