#include "common/shell_words.h"

namespace dcc {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Inside double quotes a backslash only escapes these (POSIX "Double-Quotes"); before anything
// else it stays a backslash.
bool escapable_in_double_quotes(char c) { return c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n'; }

class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  Result<std::vector<std::string>> run() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (is_blank(c)) {
        end_word();
        ++pos_;
      } else if (c == '\'') {
        if (Status s = single_quoted(); !s) return s.error();
      } else if (c == '"') {
        if (Status s = double_quoted(); !s) return s.error();
      } else if (c == '\\') {
        backslash();
      } else {
        append(c);
        ++pos_;
      }
    }
    end_word();
    return std::move(words_);
  }

 private:
  Status single_quoted() {
    std::size_t open = pos_++;
    std::size_t close = text_.find('\'', pos_);
    if (close == std::string_view::npos) return unterminated("single", open);
    started();
    word_.append(text_.substr(pos_, close - pos_));
    pos_ = close + 1;
    return {};
  }

  Status double_quoted() {
    std::size_t open = pos_++;
    started();
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return {};
      }
      if (c == '\\' && pos_ + 1 < text_.size() && escapable_in_double_quotes(text_[pos_ + 1])) {
        if (text_[pos_ + 1] != '\n') word_ += text_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      word_ += c;
      ++pos_;
    }
    return unterminated("double", open);
  }

  void backslash() {
    ++pos_;
    if (pos_ == text_.size()) {  // a shell reading a string keeps a final lone backslash
      append('\\');
      return;
    }
    if (text_[pos_] != '\n') append(text_[pos_]);  // backslash-newline is a line continuation
    ++pos_;
  }

  Error unterminated(std::string_view kind, std::size_t open) const {
    return make_error(ExitCode::bad_arguments, "unterminated " + std::string(kind) + " quote (opened at column " +
                                                   std::to_string(open + 1) + ")");
  }

  void started() { in_word_ = true; }
  void append(char c) {
    in_word_ = true;
    word_ += c;
  }
  void end_word() {
    if (!in_word_) return;
    words_.push_back(std::move(word_));
    word_.clear();
    in_word_ = false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string word_;
  bool in_word_ = false;  // distinguishes an empty quoted word ('') from no word at all
  std::vector<std::string> words_;
};

}  // namespace

Result<std::vector<std::string>> split_shell_words(std::string_view text) { return Splitter(text).run(); }

}  // namespace dcc
