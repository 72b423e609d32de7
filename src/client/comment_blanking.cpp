#include "client/comment_blanking.h"

#include <charconv>
#include <cstdint>
#include <vector>

namespace dcc {
namespace {

// The two lexing choices that differ between the GCC dialects and decide where a literal or a
// comment starts: `1'000` (digit separators: C++14, C2X) and `R"x(...)x"` (raw strings: C++11,
// gnu99 and later).
struct Dialect {
  bool digit_separators = true;
  bool raw_strings = true;
};

enum class Known : std::uint8_t { no, yes, unknown };

struct DialectFacts {
  Known digit_separators = Known::unknown;
  Known raw_strings = Known::unknown;
};

bool is_nvspace(unsigned char c) {  // GCC's horizontal whitespace, also before a splice's newline
  return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\0';
}
bool is_idnum(unsigned char c) {  // GCC's ISIDNUM: what continues a pp-number
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_ident_char(unsigned char c) { return is_idnum(c) || c == '$' || c >= 0x80; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Printable ASCII becomes a space and a tab stays a tab; anything else keeps its comment as is.
bool is_blankable(unsigned char c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; }

// The third character of a trigraph: '?' '?' and one of these.
bool is_trigraph_end(unsigned char c) {
  return c == '=' || c == '(' || c == ')' || c == '/' || c == '\'' || c == '<' || c == '>' ||
         c == '!' || c == '-';
}

bool is_raw_prefix(std::string_view ident) {
  return ident == "R" || ident == "LR" || ident == "uR" || ident == "UR" || ident == "u8R";
}

bool contains_fall(std::string_view s) {  // case-insensitive "fall"
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if ((s[i] | 0x20) == 'f' && (s[i + 1] | 0x20) == 'a' && (s[i + 2] | 0x20) == 'l' &&
        (s[i + 3] | 0x20) == 'l') {
      return true;
    }
  }
  return false;
}

// With trigraphs on, '?' '?' '/' is a backslash (it can splice lines or escape a quote), '?' '?'
// '\'' a caret (it removes a quote) and '?' '?' '=' a '#'. A CR not followed by LF ends a line.
bool has_unsupported_sequences(std::string_view text) {
  for (auto q = text.find('?'); q != std::string_view::npos; q = text.find('?', q + 1)) {
    if (q + 2 >= text.size()) break;
    const char third = text[q + 2];
    if (text[q + 1] == '?' && (third == '/' || third == '\'' || third == '=')) return true;
  }
  for (auto r = text.find('\r'); r != std::string_view::npos; r = text.find('\r', r + 1)) {
    if (r + 1 == text.size() || text[r + 1] != '\n') return true;
  }
  return false;
}

// The numeric value of `#define NAME 123L` among the predefined macros.
std::optional<long> macro_value(std::string_view builtins, std::string_view name) {
  for (auto at = builtins.find(name); at != std::string_view::npos;
       at = builtins.find(name, at + 1)) {
    constexpr std::string_view kDefine = "\n#define ";
    std::size_t value = at + name.size();
    if (at < kDefine.size() || builtins.substr(at - kDefine.size(), kDefine.size()) != kDefine ||
        value >= builtins.size()) {
      continue;
    }
    if (builtins[value] == '\n') return 1;  // defined without a value
    if (builtins[value] != ' ') continue;
    long number = 0;
    const char* first = builtins.data() + value + 1;
    auto parsed = std::from_chars(first, builtins.data() + builtins.size(), number);
    if (parsed.ec == std::errc{} && parsed.ptr != first) return number;
    return 1;
  }
  return std::nullopt;
}

// What the predefined macros (the "<built-in>" part, before the first "<command-line>" line
// marker) say about the dialect; nullopt for C90, where `//` does not always start a comment.
std::optional<DialectFacts> read_dialect(std::string_view text) {
  DialectFacts facts;
  std::size_t end = 0;
  for (end = text.find("\"<command-line>\"\n"); end != std::string_view::npos;
       end = text.find("\"<command-line>\"\n", end + 1)) {
    std::size_t line = text.rfind('\n', end);
    if (line != std::string_view::npos && text.substr(line + 1, 2) == "# ") break;
  }
  if (end == std::string_view::npos) return facts;
  std::string_view builtins = text.substr(0, end);
  if (builtins.find("\"<built-in>\"\n") == std::string_view::npos) return facts;
  auto known = [](bool yes, bool no) { return yes ? Known::yes : no ? Known::no : Known::unknown; };
  if (auto cxx = macro_value(builtins, "__cplusplus")) {
    facts.raw_strings = known(*cxx >= 201103, *cxx == 199711);
    facts.digit_separators = known(*cxx >= 201402, *cxx == 199711 || *cxx == 201103);
    return facts;
  }
  auto c_version = macro_value(builtins, "__STDC_VERSION__");
  if (!c_version || *c_version < 199901) return std::nullopt;
  bool strict = macro_value(builtins, "__STRICT_ANSI__").has_value();
  facts.raw_strings = strict ? Known::no : Known::yes;
  facts.digit_separators = known(false, *c_version <= 201710);
  return facts;
}

std::vector<Dialect> candidate_dialects(const DialectFacts& facts) {
  std::vector<Dialect> dialects;
  for (bool separators : {true, false}) {
    if (facts.digit_separators == (separators ? Known::no : Known::yes)) continue;
    for (bool raw : {true, false}) {
      if (facts.raw_strings == (raw ? Known::no : Known::yes)) continue;
      dialects.push_back(Dialect{separators, raw});
    }
  }
  return dialects;
}

// One pass over the text in one dialect. Each lexing step copies its token to out_ (blanked if it
// is a comment) and returns false when the text cannot be handled safely.
class Blanker {
 public:
  Blanker(std::string_view text, Dialect dialect) : in_(text), dialect_(dialect) {}

  std::optional<std::string> run() {
    out_.reserve(in_.size());
    while (pos_ < in_.size()) {
      if (!step()) return std::nullopt;
    }
    return std::move(out_);
  }
  // Whether the pass met a construct whose lexing depends on the dialect.
  bool dialect_sensitive() const { return dialect_sensitive_; }

 private:
  unsigned char at(std::size_t pos) const { return pos < in_.size() ? in_[pos] : '\0'; }

  // The length of the splice (backslash, optional blanks, newline) at pos, or 0.
  std::size_t splice_at(std::size_t pos) const {
    if (at(pos) != '\\') return 0;
    std::size_t p = pos + 1;
    while (p < in_.size() && is_nvspace(in_[p])) ++p;
    if (at(p) == '\n') return p + 1 - pos;
    if (at(p) == '\r' && at(p + 1) == '\n') return p + 2 - pos;
    return 0;
  }

  bool trigraph_at(std::size_t pos) const {
    return at(pos) == '?' && at(pos + 1) == '?' && is_trigraph_end(at(pos + 2));
  }

  void copy(std::size_t count) {
    out_.append(in_.substr(pos_, count));
    pos_ += count;
  }

  bool step() {
    const unsigned char c = in_[pos_];
    if (c == '\n' || c == '\r') {
      line_start_ = true;
      in_directive_ = false;
      return end_line();
    }
    if (c == '/' && at(pos_ + 1) == '*') return block_comment();
    if (c == '/' && at(pos_ + 1) == '/') return line_comment();
    if (c == '\\') return backslash();
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\0') {
      copy(1);
      return true;
    }
    const bool hash = c == '#' || (c == '%' && at(pos_ + 1) == ':');
    if (hash && line_start_) return directive();
    line_start_ = false;
    if (c == '"' || c == '\'') return quoted();
    if (is_digit(c) || (c == '.' && is_digit(at(pos_ + 1)))) return number();
    if (is_ident_char(c)) return identifier();
    copy(1);
    return true;
  }

  // The '#' (or "%:") that starts a directive line. Directives whose operands may hold a header
  // name (<a/*b.h> is not a comment there) are refused: -fdirectives-only never leaves them in
  // its output anyway.
  bool directive() {
    line_start_ = false;
    in_directive_ = true;
    copy(in_[pos_] == '#' ? 1 : 2);
    std::size_t p = pos_;
    while (p < in_.size() && is_nvspace(in_[p])) ++p;
    if (at(p) == '/' || at(p) == '\\') return false;  // a comment or a splice before the name
    std::size_t name = p;
    while (p < in_.size() && is_ident_char(in_[p])) ++p;
    for (std::string_view refused : {"include", "include_next", "import", "embed", "if", "elif"}) {
      if (in_.substr(name, p - name) == refused) return false;
    }
    return true;
  }

  // A newline in code: the blanks before it go, unless they follow a backslash (GCC splices
  // "\ <newline>" too) or end an unterminated literal (they are part of that token).
  bool end_line() {
    if (!keep_line_end_) {
      std::size_t end = out_.size();
      while (end > 0 && (out_[end - 1] == ' ' || out_[end - 1] == '\t')) --end;
      std::size_t last = end;
      while (last > 0 && is_nvspace(out_[last - 1])) --last;
      if (last == 0 || out_[last - 1] != '\\') out_.resize(end);
    }
    keep_line_end_ = false;
    copy(in_[pos_] == '\r' ? 2 : 1);
    return true;
  }

  // A splice in code is copied; it must not join a comment delimiter, a pp-number, an identifier
  // (literal prefix) or a literal (suffix) to what follows. A lone backslash (a UCN) is copied.
  bool backslash() {
    std::size_t splice = splice_at(pos_);
    if (splice == 0) {
      copy(1);
      return true;
    }
    if (pos_ > 0) {
      unsigned char before = in_[pos_ - 1];
      if (is_ident_char(before) || before == '/' || before == '.' || before == '\'' ||
          before == '"' || before == '\\' || before == '\0') {
        return false;
      }
    }
    copy(splice);
    return true;
  }

  // A pp-number, as GCC's lex_number: idnum characters, '.', a sign after e/E/p/P, and (with
  // digit separators) runs of ' followed by an idnum character.
  bool number() {
    std::size_t p = pos_ + 1;
    for (;;) {
      unsigned char c = at(p);
      if (is_idnum(c) || c == '.') {
        ++p;
      } else if ((c == '+' || c == '-') && p > pos_ && (in_[p - 1] | 0x20) == 'e') {
        ++p;
      } else if ((c == '+' || c == '-') && p > pos_ && (in_[p - 1] | 0x20) == 'p') {
        ++p;
      } else if (c == '\'') {
        std::size_t q = p;
        while (at(q) == '\'') ++q;
        if (at(q) == '\\') return false;  // a splice (GCC looks past it) or a UCN
        if (!is_idnum(at(q))) break;
        dialect_sensitive_ = true;
        if (!dialect_.digit_separators) break;
        p = q;
      } else if (c == '$' || c >= 0x80 || c == '\\') {
        return false;  // GCC may continue the number: a splice, a UCN, an identifier character
      } else {
        break;
      }
    }
    copy(p - pos_);
    return true;
  }

  bool identifier() {
    std::size_t p = pos_;
    while (p < in_.size() && is_ident_char(in_[p])) ++p;
    std::string_view ident = in_.substr(pos_, p - pos_);
    copy(p - pos_);
    if (at(pos_) == '"' && is_raw_prefix(ident)) {
      dialect_sensitive_ = true;
      if (dialect_.raw_strings) return raw_string();
    }
    return true;
  }

  // A string or character literal, copied as is. GCC ends an unterminated one at the newline.
  bool quoted() {
    const char quote = in_[pos_];
    copy(1);
    while (pos_ < in_.size()) {
      const unsigned char c = in_[pos_];
      if (c == quote) {
        copy(1);
        return after_literal();
      }
      if (c == '\n' || c == '\r') {
        keep_line_end_ = true;
        return true;
      }
      if (c == '\\') {
        if (std::size_t splice = splice_at(pos_)) {
          copy(splice);
          continue;
        }
        copy(1);  // an escape: the next character, after any splices, is escaped
        while (std::size_t splice = splice_at(pos_)) copy(splice);
        if (pos_ < in_.size() && in_[pos_] != '\n' && in_[pos_] != '\r') copy(1);
        continue;
      }
      copy(1);
    }
    return true;
  }

  // R"delim( ... )delim", copied as is; pos_ is at the opening quote.
  bool raw_string() {
    const std::size_t open = pos_ + 1;
    std::size_t paren = open;
    while (paren < in_.size() && in_[paren] != '(') {
      const unsigned char c = in_[paren];
      if (paren - open >= 16 || c == ' ' || c == ')' || c == '\\' || c == '\t' || c == '\v' ||
          c == '\f' || c == '\n' || c == '\r' || c == '"') {
        return false;  // an invalid delimiter: GCC's recovery is not worth modelling
      }
      ++paren;
    }
    if (paren >= in_.size()) return false;
    const std::string_view delimiter = in_.substr(open, paren - open);
    std::size_t close = paren + 1;
    for (;; ++close) {
      close = in_.find(')', close);
      if (close == std::string_view::npos) return false;  // unterminated
      if (in_.substr(close + 1, delimiter.size()) == delimiter &&
          at(close + 1 + delimiter.size()) == '"') {
        break;
      }
    }
    const std::size_t end = close + delimiter.size() + 2;
    // In a directive GCC ends a raw string at the end of the line.
    if (in_directive_ && in_.substr(pos_, end - pos_).find('\n') != std::string_view::npos) {
      return false;
    }
    // GCC undoes splices inside raw strings; do not second-guess how.
    for (std::size_t b = in_.find('\\', pos_); b < end; b = in_.find('\\', b + 1)) {
      if (splice_at(b) != 0) return false;
    }
    copy(end - pos_);
    return after_literal();
  }

  // In C++11 an identifier right after a literal is its suffix unless it is a macro, so a raw
  // string prefix there ("x"R"(...)") is a raw string or not depending on macros we cannot see.
  bool after_literal() const {
    std::size_t p = pos_;
    while (p < in_.size() && is_ident_char(in_[p])) ++p;
    return !(p > pos_ && at(p) == '"' && is_raw_prefix(in_.substr(pos_, p - pos_)));
  }

  // Whether the last non-blank output character is a backslash: blanking a comment after it
  // could turn "\ /* x */<newline>" into a splice.
  bool after_backslash() const {
    std::size_t last = out_.size();
    while (last > 0 && is_nvspace(out_[last - 1])) --last;
    return last > 0 && out_[last - 1] == '\\';
  }

  // Appends in_[from, to) with printable characters as spaces. Newlines (inside block comments)
  // end lines as in code.
  void blank(std::size_t from, std::size_t to) {
    for (std::size_t p = from; p < to; ++p) {
      const char c = in_[p];
      if (c == '\n' || c == '\r') {
        pos_ = p;
        end_line();
        p = pos_ - 1;
      } else {
        out_.push_back(c == '\t' ? '\t' : ' ');
      }
    }
  }

  bool block_comment() {
    const std::size_t start = pos_;
    bool keep = false;
    bool multiline = false;
    std::size_t p = start + 2;
    for (;; ++p) {
      if (p >= in_.size()) return false;  // unterminated
      const unsigned char c = in_[p];
      if (c == '*') {
        std::size_t q = p + 1;
        while (std::size_t splice = splice_at(q)) {
          keep = true;
          q += splice;
        }
        if (at(q) == '/') {
          p = q + 1;
          break;
        }
      } else if (c == '/') {
        keep = keep || at(p + 1) == '*' || splice_at(p + 1) != 0;  // GCC warns: "/*" within comment
      } else if (c == '\\') {
        keep = keep || splice_at(p) != 0;
      } else if (c == '\n') {
        multiline = true;
      } else if (c == '\r') {
        multiline = true;
        ++p;  // always "\r\n" here
      } else if (!is_blankable(c) || trigraph_at(p)) {
        keep = true;  // with trigraphs on, GCC counts columns after one as if it were one character
      }
    }
    const std::size_t end = p;
    // GCC takes a trigraph right after "*/" as inside the comment: no -Wtrigraphs warning.
    keep = keep || trigraph_at(end);
    if (keep || after_backslash() || contains_fall(in_.substr(start, end - start))) {
      copy(end - start);
    } else if (!multiline) {
      blank(start, end);
      pos_ = end;
    } else {
      out_.append("/*");
      blank(start + 2, end - 2);
      out_.append("*/");
      pos_ = end;
    }
    return true;
  }

  bool line_comment() {
    const std::size_t start = pos_;
    bool keep = false;
    std::size_t line = start + 2;
    std::size_t end = in_.size();
    for (;;) {
      std::size_t newline = in_.find('\n', line);
      if (newline == std::string_view::npos) break;
      std::size_t last = newline;
      if (last > line && in_[last - 1] == '\r') --last;
      end = last;
      while (last > line && is_nvspace(in_[last - 1])) --last;
      if (last == line || in_[last - 1] != '\\') break;
      keep = true;  // continued by a splice: GCC warns "multi-line comment"
      line = newline + 1;
      end = in_.size();
    }
    for (std::size_t p = start; p < end && !keep; ++p) {
      keep = !is_blankable(in_[p]) || trigraph_at(p);
    }
    if (keep || after_backslash() || contains_fall(in_.substr(start, end - start))) {
      copy(end - start);
    } else {
      blank(start, end);
      pos_ = end;
    }
    return true;
  }

  std::string_view in_;
  Dialect dialect_;
  std::size_t pos_ = 0;
  std::string out_;
  bool keep_line_end_ = false;
  bool line_start_ = true;  // only blanks, comments and splices so far on this line
  bool in_directive_ = false;
  bool dialect_sensitive_ = false;
};

}  // namespace

std::optional<std::string> blank_comments(std::string_view text) {
  if (has_unsupported_sequences(text)) return std::nullopt;
  std::optional<DialectFacts> facts = read_dialect(text);
  if (!facts) return std::nullopt;
  std::vector<Dialect> dialects = candidate_dialects(*facts);
  Blanker first(text, dialects.front());
  std::optional<std::string> result = first.run();
  if (!result || !first.dialect_sensitive()) return result;
  for (std::size_t i = 1; i < dialects.size(); ++i) {
    std::optional<std::string> other = Blanker(text, dialects[i]).run();
    if (!other || *other != *result) return std::nullopt;
  }
  return result;
}

bool comment_blanking_applies(std::span<const std::string> argv) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "-traditional" || arg == "-traditional-cpp" || arg == "-C" || arg == "-CC" ||
        arg == "-Wimplicit-fallthrough=1" || arg == "-ansi" || arg == "-Wc90-c99-compat" ||
        arg.starts_with("-finput-charset")) {
      return false;
    }
    for (std::string_view c90 :
         {"c89", "c90", "gnu89", "gnu90", "iso9899:1990", "iso9899:199409"}) {
      if (arg.starts_with("-std=") && std::string_view(arg).substr(5) == c90) return false;
      if (arg.starts_with("--std=") && std::string_view(arg).substr(6) == c90) return false;
    }
  }
  return true;
}

}  // namespace dcc
