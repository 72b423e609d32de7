// The preprocessor directives of one file that matter for include analysis: every #include,
// #include_next, #import and __has_include operand, and every #define / #undef. Conditionals are
// deliberately not recorded: analysis follows both sides of every #if.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcc::pump {

struct PpToken {
  enum class Kind { identifier, number, string, punct };
  Kind kind = Kind::punct;
  std::string text;
  bool space_before =
      false;  // whitespace preceded it (it matters when <...> is rebuilt from tokens)
};

enum class IncludeKind { include, include_next, import, has_include, has_include_next };
enum class IncludeForm { quoted, angle, computed };

struct IncludeDirective {
  IncludeKind kind = IncludeKind::include;
  IncludeForm form = IncludeForm::quoted;
  std::string name;             // quoted/angle: the spelled name without delimiters
  std::vector<PpToken> tokens;  // computed: the operand's tokens
};

struct MacroDefinition {
  std::string name;
  bool function_like = false;
  bool variadic = false;  // the last parameter is __VA_ARGS__ (or `name...`)
  std::vector<std::string> params;
  std::vector<PpToken> body;
};

struct FileDirectives {
  std::vector<IncludeDirective> includes;
  std::vector<MacroDefinition> defines;
  std::vector<std::string> undefs;  // recorded; over-approximation keeps every definition anyway
};

// Splits `text` into preprocessing tokens (no macro expansion).
std::vector<PpToken> tokenize(std::string_view text);

// Parses the text after `#define` ("NAME(a,b) body"); false when there is no macro name.
bool parse_define(std::string_view text, MacroDefinition& out);

// Lexes a whole file: line continuations, comments, string/char/raw-string literals are handled so
// that nothing inside them is mistaken for a directive.
FileDirectives lex_directives(std::string_view source);

}  // namespace dcc::pump
