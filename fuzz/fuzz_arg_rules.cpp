// The argument rules on the fuzz input as a command line, split into arguments at NUL or newline
// (argv[0] is the compiler): the client's classifier and its argv rewrites, the daemon's argument
// safety checks, and pump mode's compile-command parser.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/arg_rules.h"
#include "common/arg_safety.h"
#include "fuzz_support.h"
#include "pump/compile_command.h"

namespace {

// make_preprocess_argv's promise: no output option and no -c/-S are left (the caller redirects
// stdout to the .i file, and a stray -c would make the preprocessor compile).
void check_preprocess_argv(const std::vector<std::string>& argv) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    if (argv[i].starts_with("-o") || argv[i] == "-c" || argv[i] == "-S") __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dcc;
  std::vector<std::string> argv = fuzz::split_on(fuzz::as_text(data, size), std::string_view("\0\n", 2));
  if (argv.empty()) return 0;

  auto expanded = expand_preprocessor_options(argv);
  if (expand_preprocessor_options(expanded) != expanded) __builtin_trap();  // documented: idempotent
  auto classified = classify(argv);
  if (const auto* job = std::get_if<RemoteJob>(&classified)) {
    // The input is one of the arguments (the server substitutes its temp file for it).
    if (std::find(job->argv.begin() + 1, job->argv.end(), job->input) == job->argv.end()) __builtin_trap();
    (void)strip_local_args(job->argv);
    check_preprocess_argv(make_preprocess_argv(job->argv));
    (void)preprocessed_extension(job->input);
    (void)default_output_name(job->input, job->assemble_only);
  } else {
    (void)describe(std::get<LocalReason>(classified));
  }
  (void)strip_local_args(argv);
  check_preprocess_argv(make_preprocess_argv(argv));
  for (const auto& arg : argv) {
    (void)is_source_file(arg);
    (void)is_preprocessed_file(arg);
    (void)preprocessed_extension(arg);
    (void)default_output_name(arg, false);
  }
  auto args = std::span<const std::string>(argv).subspan(1);
  (void)find_unsafe_argument(args);
  (void)find_unsafe_pump_argument(args);
  (void)pump::parse_compile_command(argv);
  return 0;
}
