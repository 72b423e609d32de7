#include "daemon/source_safety.h"

#include <array>
#include <cstring>

namespace dcc {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Directives checked at the start of each line ("#  include" too). Those that read a file are
// obvious; conditionals are refused because `#if __has_include("/etc/shadow")` probes files and
// because the client's preprocessor has already evaluated every conditional of an honest source.
constexpr std::array<std::string_view, 5> kFileDirectives = {"include", "import", "embed", "if", "elif"};

std::optional<std::string> directive_problem(std::string_view source, std::size_t hash) {
  std::size_t j = hash + 1;
  while (j < source.size() && is_blank(source[j])) ++j;
  std::string_view word = source.substr(j, 16);
  for (auto directive : kFileDirectives) {
    if (word.substr(0, directive.size()) == directive) {
      return "source contains a #" + std::string(directive) +
             " directive; an honest preprocessed source has none, and it could read files on the server";
    }
  }
  return std::nullopt;
}

// Finds directives the way the preprocessor sees them: a '#' that is the first token of a line,
// outside comments and literals (-fdirectives-only output keeps the headers' comments, which often
// mention "#if ..."). When in doubt it errs towards reporting a directive.
std::optional<std::string> find_file_directive(std::string_view source) {
  enum class State { code, block_comment, line_comment, literal };
  State state = State::code;
  char quote = 0;
  bool line_start = true;
  for (std::size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    char next = i + 1 < source.size() ? source[i + 1] : '\0';
    if (c == '\n' && state != State::block_comment) {
      state = State::code;
      line_start = true;
      continue;
    }
    switch (state) {
      case State::block_comment:
        if (c == '*' && next == '/') {
          state = State::code;
          ++i;
        } else if (c == '\n') {
          line_start = true;
        }
        break;
      case State::line_comment:
        break;
      case State::literal:
        if (c == '\\') ++i;
        else if (c == quote) state = State::code;
        break;
      case State::code:
        if (is_blank(c)) break;
        if (c == '/' && next == '*') {
          state = State::block_comment;  // a comment is a space: the line may still start here
          ++i;
          break;
        }
        if (c == '/' && next == '/') {
          state = State::line_comment;
          break;
        }
        if (c == '#' && line_start) {
          if (auto problem = directive_problem(source, i)) return problem;
        }
        if (c == '"' || c == '\'') {
          state = State::literal;
          quote = c;
        }
        line_start = false;
        break;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_unsafe_source_content(std::string_view source) {
  // Assembler directives that read files; they can hide in asm() strings anywhere in a line.
  // With the dot: `int incbin_count;` is fine. This is a speed bump, not confinement: string
  // literal concatenation (".inc" "bin") or assembler macros can still spell the directive.
  for (std::string_view needle : {std::string_view(".incbin"), std::string_view(".include")}) {
    if (source.find(needle) != std::string_view::npos) {
      return "source contains \"" + std::string(needle) + "\", an assembler directive that reads a file on the server";
    }
  }
  // #pragma GCC dependency "file" (also via _Pragma) compares the file's date with ours.
  for (std::size_t at = source.find("GCC"); at != std::string_view::npos; at = source.find("GCC", at + 3)) {
    std::size_t i = at + 3;
    while (i < source.size() && is_blank(source[i])) ++i;
    if (source.substr(i, 10) == "dependency") return "source contains #pragma GCC dependency, which reads a file's date on the server";
  }
  return find_file_directive(source);
}

}  // namespace dcc
