#include "client/response_file.h"

#include <cctype>

namespace dcc {
namespace {

constexpr int kMaxDepth = 16;  // guards against @a containing @a

void expand_into(const std::vector<std::string>& argv, std::size_t first, const ReadTextFile& read, int depth,
                 std::vector<std::string>& out) {
  for (std::size_t i = first; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() > 1 && arg[0] == '@' && depth < kMaxDepth) {
      if (auto text = read(arg.substr(1))) {
        expand_into(split_response_text(*text), 0, read, depth + 1, out);
        continue;
      }
    }
    out.push_back(arg);
  }
}

}  // namespace

std::vector<std::string> split_response_text(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else if (quote) {
      if (c == quote) quote = 0;
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::vector<std::string> expand_response_files(const std::vector<std::string>& argv, const ReadTextFile& read) {
  std::vector<std::string> out;
  if (argv.empty()) return out;
  out.push_back(argv[0]);
  expand_into(argv, 1, read, 0, out);
  return out;
}

}  // namespace dcc
