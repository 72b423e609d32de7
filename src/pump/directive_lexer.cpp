#include "pump/directive_lexer.h"

#include <cctype>

namespace dcc::pump {
namespace {

bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}
bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

// A line continuation at `i`: a backslash, optional \r, newline. Returns its length or 0.
std::size_t splice_at(std::string_view s, std::size_t i) {
  if (s[i] != '\\') return 0;
  if (i + 1 < s.size() && s[i + 1] == '\n') return 2;
  if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') return 3;
  return 0;
}

// The previous answer of is_digit_separator: the characters from `start` to `end` form one run.
struct NumberRun {
  std::size_t start = 0;
  std::size_t end = 0;
};

// Is the quote at `i` a C++14 digit separator (1'000) rather than a character literal? `last`
// lets the scan back stop where the previous one ended: without it a long 1'1'1'... token was
// rescanned at every quote, quadratic (a 100 KB one took seconds; found while fuzzing).
bool is_digit_separator(std::string_view s, std::size_t i, NumberRun& last) {
  std::size_t start = i;
  while (start > 0 && (is_ident_char(s[start - 1]) || s[start - 1] == '.' || s[start - 1] == '\'')) {
    if (start == last.end) {
      start = last.start;
      break;
    }
    --start;
  }
  last = NumberRun{start, i};
  return start < i && std::isdigit(static_cast<unsigned char>(s[start])) && i + 1 < s.size() &&
         is_ident_char(s[i + 1]);
}

// Does a raw string literal (R"delim( ... )delim") start at `i` (the R)?
bool raw_string_at(std::string_view s, std::size_t i) {
  if (s[i] != 'R' || i + 1 >= s.size() || s[i + 1] != '"') return false;
  std::size_t start = i;
  while (start > 0 && is_ident_char(s[start - 1])) --start;
  std::string_view prefix = s.substr(start, i - start);
  return prefix.empty() || prefix == "u8" || prefix == "u" || prefix == "U" || prefix == "L";
}

// Copies a quoted literal starting at s[i] (the quote) to `out`; it ends at the matching quote or,
// as in the preprocessor, at an unescaped end of line (a lone apostrophe in "don't").
std::size_t copy_literal(std::string_view s, std::size_t i, std::string& out) {
  char quote = s[i];
  out += s[i++];
  while (i < s.size()) {
    if (std::size_t n = splice_at(s, i)) {
      i += n;
      continue;
    }
    char c = s[i];
    if (c == '\n') return i;
    if (c == '\\' && i + 1 < s.size() && s[i + 1] != '\n') {
      out += c;
      out += s[i + 1];
      i += 2;
      continue;
    }
    out += c;
    ++i;
    if (c == quote) return i;
  }
  return i;
}

std::size_t copy_raw_string(std::string_view s, std::size_t i, std::string& out) {
  std::size_t open = s.find('(', i + 2);
  if (open == std::string_view::npos || open - (i + 2) > 16) {  // not a valid raw string: copy "R
    out += s.substr(i, 2);
    return i + 2;
  }
  std::string terminator = ")" + std::string(s.substr(i + 2, open - (i + 2))) + "\"";
  std::size_t end = s.find(terminator, open);
  end = end == std::string_view::npos ? s.size() : end + terminator.size();
  // Newlines inside are dropped so the raw string cannot end a logical line early.
  for (std::size_t k = i; k < end; ++k) out += s[k] == '\n' ? ' ' : s[k];
  return end;
}

// The source with comments replaced by one space and line continuations removed; literals are
// kept whole. Lines of the result are logical lines.
std::string clean_source(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  NumberRun last_run;
  while (i < s.size()) {
    if (std::size_t n = splice_at(s, i)) {
      i += n;
      continue;
    }
    char c = s[i];
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '/' && next == '*') {
      std::size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
      out += ' ';
    } else if (c == '/' && next == '/') {
      while (i < s.size() && s[i] != '\n') {
        std::size_t n = splice_at(s, i);
        i += n ? n : 1;
      }
    } else if (c == '"' || (c == '\'' && !is_digit_separator(s, i, last_run))) {
      i = copy_literal(s, i, out);
    } else if (c == 'R' && raw_string_at(s, i)) {
      i = copy_raw_string(s, i, out);
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// "name" or <name> at `i`; the delimited name, or nullopt-like false when malformed.
bool read_header_name(std::string_view s, std::size_t& i, IncludeDirective& d) {
  char close = s[i] == '"' ? '"' : s[i] == '<' ? '>' : '\0';
  if (close == '\0') return false;
  std::size_t end = s.find(close, i + 1);
  if (end == std::string_view::npos) return false;
  d.form = close == '"' ? IncludeForm::quoted : IncludeForm::angle;
  d.name = std::string(s.substr(i + 1, end - i - 1));
  i = end + 1;
  return !d.name.empty();
}

void parse_include(std::string_view rest, IncludeKind kind, FileDirectives& out) {
  IncludeDirective d;
  d.kind = kind;
  std::size_t i = skip_spaces(rest, 0);
  if (i >= rest.size()) return;
  if (!read_header_name(rest, i, d)) {
    d.form = IncludeForm::computed;
    d.tokens = tokenize(rest.substr(i));
    if (d.tokens.empty()) return;
  }
  out.includes.push_back(std::move(d));
}

// __has_include("x") / __has_include(<x>) / __has_include(MACRO) inside #if and #elif lines.
void parse_has_include(std::string_view line, FileDirectives& out) {
  for (std::size_t pos = line.find("__has_include"); pos != std::string_view::npos;
       pos = line.find("__has_include", pos + 1)) {
    if (pos > 0 && is_ident_char(line[pos - 1])) continue;
    std::size_t i = pos + 13;
    IncludeDirective d;
    d.kind = IncludeKind::has_include;
    if (line.substr(i, 5) == "_next") {
      d.kind = IncludeKind::has_include_next;
      i += 5;
    } else if (i < line.size() && is_ident_char(line[i])) {
      continue;
    }
    i = skip_spaces(line, i);
    if (i >= line.size() || line[i] != '(') continue;
    i = skip_spaces(line, i + 1);
    if (i >= line.size()) continue;
    if (!read_header_name(line, i, d)) {
      std::size_t close = line.find(')', i);
      d.form = IncludeForm::computed;
      d.tokens =
          tokenize(line.substr(i, close == std::string_view::npos ? line.size() - i : close - i));
      if (d.tokens.empty()) continue;
    }
    out.includes.push_back(std::move(d));
  }
}

void parse_directive(std::string_view line, FileDirectives& out) {
  std::size_t i = skip_spaces(line, 0);
  if (i >= line.size() || line[i] != '#') return;
  i = skip_spaces(line, i + 1);
  std::size_t name_end = i;
  while (name_end < line.size() && is_ident_char(line[name_end])) ++name_end;
  std::string_view name = line.substr(i, name_end - i);
  std::string_view rest = line.substr(name_end);
  if (name == "include") {
    parse_include(rest, IncludeKind::include, out);
  } else if (name == "include_next") {
    parse_include(rest, IncludeKind::include_next, out);
  } else if (name == "import") {
    parse_include(rest, IncludeKind::import, out);
  } else if (name == "define") {
    MacroDefinition macro;
    if (parse_define(rest, macro)) out.defines.push_back(std::move(macro));
  } else if (name == "undef") {
    std::size_t s = skip_spaces(rest, 0), e = s;
    while (e < rest.size() && is_ident_char(rest[e])) ++e;
    if (e > s) out.undefs.emplace_back(rest.substr(s, e - s));
  } else if (name == "if" || name == "elif") {
    parse_has_include(rest, out);
  }
}

std::size_t read_literal_token(std::string_view s, std::size_t i) {
  char quote = s[i++];
  while (i < s.size() && s[i] != quote) i += (s[i] == '\\' && i + 1 < s.size()) ? 2 : 1;
  return i < s.size() ? i + 1 : i;
}

}  // namespace

std::vector<PpToken> tokenize(std::string_view s) {
  std::vector<PpToken> tokens;
  bool space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c) || c == '\n') {
      space = true;
      ++i;
      continue;
    }
    PpToken token;
    token.space_before = space;
    space = false;
    std::size_t start = i;
    if (is_ident_start(c)) {
      while (i < s.size() && is_ident_char(s[i])) ++i;
      std::string_view word = s.substr(start, i - start);
      bool prefix = word == "L" || word == "u" || word == "U" || word == "u8";
      if (prefix && i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        i = read_literal_token(s, i);
        token.kind = PpToken::Kind::string;
      } else {
        token.kind = PpToken::Kind::identifier;
      }
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() &&
                std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      ++i;
      while (i < s.size()) {
        char d = s[i];
        if ((d == '+' || d == '-') &&
            (s[i - 1] == 'e' || s[i - 1] == 'E' || s[i - 1] == 'p' || s[i - 1] == 'P')) {
          ++i;
        } else if (is_ident_char(d) || d == '.' || d == '\'') {
          ++i;
        } else {
          break;
        }
      }
      token.kind = PpToken::Kind::number;
    } else if (c == '"' || c == '\'') {
      i = read_literal_token(s, i);
      token.kind = PpToken::Kind::string;
    } else if (s.substr(i, 2) == "##") {
      i += 2;
    } else if (s.substr(i, 3) == "...") {
      i += 3;
    } else {
      ++i;
    }
    token.text = std::string(s.substr(start, i - start));
    tokens.push_back(std::move(token));
  }
  return tokens;
}

bool parse_define(std::string_view text, MacroDefinition& out) {
  std::size_t i = skip_spaces(text, 0);
  std::size_t start = i;
  if (i >= text.size() || !is_ident_start(text[i])) return false;
  while (i < text.size() && is_ident_char(text[i])) ++i;
  out.name = std::string(text.substr(start, i - start));
  if (i < text.size() && text[i] == '(') {
    out.function_like = true;
    std::size_t close = text.find(')', i);
    if (close == std::string_view::npos) return false;
    bool after_name = false;  // `args...` names the variadic parameter; a bare `...` is __VA_ARGS__
    for (const auto& token : tokenize(text.substr(i + 1, close - i - 1))) {
      if (token.kind == PpToken::Kind::identifier) {
        out.params.push_back(token.text);
        after_name = true;
        continue;
      }
      if (token.text == "...") {
        out.variadic = true;
        if (!after_name) out.params.push_back("__VA_ARGS__");
      }
      after_name = false;
    }
    i = close + 1;
  }
  out.body = tokenize(text.substr(i));
  if (!out.body.empty()) out.body.front().space_before = false;
  return true;
}

FileDirectives lex_directives(std::string_view source) {
  FileDirectives out;
  std::string clean = clean_source(source);
  std::string_view text(clean);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    std::size_t first = skip_spaces(line, 0);
    if (first < line.size() && line[first] == '#') parse_directive(line, out);
    pos = end + 1;
  }
  return out;
}

}  // namespace dcc::pump
