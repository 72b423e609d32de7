// The include scanner's text processing on the fuzz input as one source file: the directive
// lexer (comments, continuations, literals, raw strings, every #include / #define form), the
// token splitter and the computed-include macro expander with every definition the file makes.
// The last line is also expanded as an include operand on its own, so the expander sees
// arbitrary token sequences, not only ones that survived the lexer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "pump/directive_lexer.h"
#include "pump/macro_expander.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dcc::pump;
  std::string_view text = dcc::fuzz::as_text(data, size);
  FileDirectives directives = lex_directives(text);
  MacroTable macros;
  for (const auto& def : directives.defines) {
    if (def.name.empty()) __builtin_trap();  // the lexer records only named definitions
    macros[def.name].push_back(&def);
  }
  MacroDefinition command_line = definition_from_command_line("CONFIG_H=\"config.h\"");
  macros[command_line.name].push_back(&command_line);
  // Smaller limits than the analyzer's: a blow-up is reported as an error either way, and each
  // fuzz input should stay fast (with the copy budget at 800000, inputs that exhaust it held the
  // rate near 100 exec/s under ASan).
  ExpansionLimits limits{.max_alternatives = 64, .max_steps = 5000, .max_copies = 100000};
  for (const auto& include : directives.includes) {
    if (include.form == IncludeForm::computed) (void)expand_include_operand(include.tokens, macros, limits);
  }
  std::size_t last = text.rfind('\n');
  std::string_view operand = last == std::string_view::npos ? text : text.substr(last + 1);
  (void)expand_include_operand(tokenize(operand), macros, limits);
  MacroDefinition parsed;
  (void)parse_define(operand, parsed);
  return 0;
}
