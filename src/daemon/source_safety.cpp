#include "daemon/source_safety.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <strings.h>

namespace dcc {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
// gcc and clang end a line at "\n", "\r\n" and a lone "\r".
bool is_newline(char c) { return c == '\n' || c == '\r'; }

// Index of the first character at or after `i` that is neither a blank nor inside a /* */ comment.
std::size_t skip_blanks_and_comments(std::string_view text, std::size_t i) {
  while (i < text.size()) {
    if (is_blank(text[i])) {
      ++i;
    } else if (text.compare(i, 2, "/*") == 0) {
      std::size_t end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// Whether the '.' at `dot` can start an assembler statement. In C or C++ text a '.' right after an
// identifier, ')' or ']' is member access (`cfg.include_dirs`, `f().incbin`), which no assembler
// sees. The exception is an escape sequence in an asm() string ("nop\n.incbin", "\012.incbin"):
// a backslash among the few characters before the dot counts as a statement boundary.
bool may_start_directive(std::string_view text, std::size_t dot) {
  if (dot == 0) return true;
  char before = text[dot - 1];
  if (!is_identifier_char(before) && before != ')' && before != ']') return true;
  std::size_t from = dot >= 5 ? dot - 5 : 0;
  return text.substr(from, dot - from).find('\\') != std::string_view::npos;
}

// The first of `needles` (each starting with '.') found in `text` as a whole directive name,
// ignoring case, or empty. One memchr-driven pass over the dots instead of a search per needle.
std::string_view find_dotted_nocase(std::string_view text, std::initializer_list<std::string_view> needles) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* p = begin; p < end;) {
    p = static_cast<const char*>(std::memchr(p, '.', static_cast<std::size_t>(end - p)));
    if (!p) break;
    for (std::string_view needle : needles) {
      std::size_t left = static_cast<std::size_t>(end - p);
      if (left >= needle.size() && ::strncasecmp(p, needle.data(), needle.size()) == 0 &&
          (left == needle.size() || !is_identifier_char(p[needle.size()])) &&
          may_start_directive(text, static_cast<std::size_t>(p - begin))) {
        return needle;
      }
    }
    ++p;
  }
  return {};
}

// The text after translation phases 1 and 2 as a compiler may apply them: trigraphs (only in
// some modes, hence optional) and line splices (`lenient`: gcc and clang also accept blanks
// between the backslash and the newline). A directive or directive name split by a splice is
// whole again here.
std::string splice_lines(std::string_view text, bool trigraphs, bool lenient) {
  std::string out;
  // Copy runs up to the next character that can start a splice or trigraph in one go.
  const char* special = trigraphs ? "\\?" : "\\";
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::size_t run_end = text.find_first_of(special, i);
    if (run_end == std::string_view::npos) run_end = text.size();
    if (run_end > i) {
      out.append(text.substr(i, run_end - i));
      i = run_end;
      if (i >= text.size()) break;
    }
    char c = text[i];
    if (trigraphs && c == '?' && i + 2 < text.size() && text[i + 1] == '?' &&
        (text[i + 2] == '=' || text[i + 2] == '/')) {
      c = text[i + 2] == '=' ? '#' : '\\';
      i += 2;
    }
    if (c == '\\') {
      std::size_t j = i + 1;
      while (lenient && j < text.size() && is_blank(text[j])) ++j;
      if (j < text.size() && is_newline(text[j])) {
        i = text.compare(j, 2, "\r\n") == 0 ? j + 1 : j;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// Directives checked at the start of each line ("#  include" too). Those that read a file are
// obvious; conditionals are refused because `#if __has_include("/etc/shadow")` probes files and
// because the client's preprocessor has already evaluated every conditional of an honest source.
constexpr std::array<std::string_view, 5> kFileDirectives = {"include", "import", "embed", "if",
                                                             "elif"};

std::optional<std::string> directive_problem(std::string_view source, std::size_t after_hash) {
  std::size_t j = skip_blanks_and_comments(source, after_hash);
  std::string_view word = source.substr(j, 16);
  for (auto directive : kFileDirectives) {
    if (word.substr(0, directive.size()) == directive) {
      return "source contains a #" + std::string(directive) +
             " directive; an honest preprocessed source has none, and it could read files on the "
             "server";
    }
  }
  return std::nullopt;
}

// Finds directives the way the preprocessor sees them: a '#' (or the digraph "%:") that is the
// first token of a line, outside comments and literals (-fdirectives-only output keeps the
// headers' comments, which often mention "#if ..."). When in doubt it errs towards reporting.
std::optional<std::string> find_file_directive(std::string_view source) {
  enum class State { code, block_comment, line_comment, literal };
  State state = State::code;
  char quote = 0;
  bool line_start = true;
  for (std::size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    char next = i + 1 < source.size() ? source[i + 1] : '\0';
    if (is_newline(c) && state != State::block_comment) {
      state = State::code;
      line_start = true;
      continue;
    }
    switch (state) {
      case State::block_comment: {
        // Jump to the end of the comment; a newline inside it starts a new line.
        std::size_t close = source.find("*/", i);
        std::size_t stop = close == std::string_view::npos ? source.size() : close;
        if (source.substr(i, stop - i).find_first_of("\r\n") != std::string_view::npos) line_start = true;
        state = State::code;
        i = close == std::string_view::npos ? source.size() : close + 1;
        break;
      }
      case State::line_comment: {
        std::size_t eol = source.find_first_of("\r\n", i);
        i = (eol == std::string_view::npos ? source.size() : eol) - 1;  // the loop sees the newline
        break;
      }
      case State::literal:
        if (c == '\\' && !is_newline(next)) {
          ++i;
        } else if (c == quote) {
          state = State::code;
        }
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
        if (line_start && (c == '#' || (c == '%' && next == ':'))) {
          if (auto problem = directive_problem(source, i + (c == '#' ? 1 : 2))) return problem;
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

// One reading of the source (see splice_lines).
std::optional<std::string> find_unsafe_in(std::string_view source) {
  // Assembler directives that read files; they can hide in asm() strings anywhere in a line, and
  // GNU as does not care about their case. Only the whole directive name where a statement can
  // start counts, so `int incbin_count;` and `cfg.include_dirs` are fine. This is a speed bump,
  // not confinement: string literal concatenation (".inc" "bin"), escapes or assembler macros
  // can still spell the directive; only running the compiler confined closes that.
  if (auto needle = find_dotted_nocase(source, {".incbin", ".include"}); !needle.empty()) {
    return "source contains \"" + std::string(needle) + "\", an assembler directive that reads a file on the server";
  }
  // #pragma GCC dependency "file" (also via _Pragma) compares the file's date with ours;
  // #pragma GCC pch_preprocess "file" loads it as a precompiled header.
  for (std::size_t at = source.find("GCC"); at != std::string_view::npos;
       at = source.find("GCC", at + 3)) {
    std::size_t i = skip_blanks_and_comments(source, at + 3);
    if (source.substr(i, 10) == "dependency")
      return "source contains #pragma GCC dependency, which reads a file's date on the server";
    if (source.substr(i, 14) == "pch_preprocess")
      return "source contains #pragma GCC pch_preprocess, which reads a file on the server";
  }
  return find_file_directive(source);
}

}  // namespace

std::optional<std::string> find_unsafe_source_content(std::string_view source) {
  // Every reading a compiler might make must be safe: with and without trigraphs, with strict
  // and with lenient line splices. Readings that cannot differ from the first are skipped.
  bool has_trigraphs = source.find("?\?=") != std::string_view::npos ||
                       source.find("?\?/") != std::string_view::npos;
  bool has_loose_splices = false;
  for (std::size_t at = source.find('\\'); at != std::string_view::npos && !has_loose_splices;
       at = source.find('\\', at + 1)) {
    has_loose_splices = at + 1 < source.size() && is_blank(source[at + 1]);
  }
  bool has_splices = source.find("\\\n") != std::string_view::npos || source.find("\\\r") != std::string_view::npos;
  for (bool trigraphs : {false, true}) {
    for (bool lenient : {false, true}) {
      if ((trigraphs && !has_trigraphs) || (lenient && !trigraphs && !has_loose_splices)) continue;
      // The common case, no splices at all: scan the text itself rather than a copy.
      bool unchanged = !trigraphs && !lenient && !has_splices;
      auto problem = unchanged ? find_unsafe_in(source) : find_unsafe_in(splice_lines(source, trigraphs, lenient));
      if (problem) return problem;
    }
  }
  return std::nullopt;
}

}  // namespace dcc
