#include "daemon/dotd_rewrite.h"

#include <vector>

namespace dcc {
namespace {

// Splits a rule's text (continuations already joined) into names; a blank is part of a name when
// an odd number of backslashes precedes it (how both compilers escape it).
std::vector<std::string> split_names(std::string_view text) {
  std::vector<std::string> names;
  std::string current;
  std::size_t backslashes = 0;
  for (char c : text) {
    if ((c == ' ' || c == '\t') && backslashes % 2 == 0) {
      if (!current.empty()) names.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
    backslashes = c == '\\' ? backslashes + 1 : 0;
  }
  if (!current.empty()) names.push_back(std::move(current));
  return names;
}

// The position of the rule's ':' separating targets from prerequisites: the first one followed by
// a blank or the end (a drive-less Unix path has no other colons that matter here).
std::size_t rule_colon(std::string_view rule) {
  for (std::size_t i = 0; i < rule.size(); ++i) {
    if (rule[i] == ':' && (i + 1 == rule.size() || rule[i + 1] == ' ' || rule[i + 1] == '\t')) return i;
  }
  return std::string_view::npos;
}

std::string wrap_gcc(const std::vector<std::string>& targets, const std::vector<std::string>& deps) {
  constexpr std::size_t kColumns = 72;
  std::string out;
  std::size_t col = 0;
  auto write = [&](const std::string& name) {
    if (col != 0) {
      if (col + name.size() > kColumns) {
        out += " \\\n";
        col = 0;
      }
      ++col;
      out += ' ';
    }
    col += name.size();
    out += name;
  };
  for (const auto& t : targets) write(t);
  out += ':';
  ++col;
  for (const auto& d : deps) write(d);
  out += '\n';
  return out;
}

std::string wrap_clang(const std::vector<std::string>& targets, const std::vector<std::string>& deps) {
  constexpr std::size_t kColumns = 75;
  std::string out;
  std::size_t col = 0;
  for (const auto& t : targets) {
    if (col == 0) {
      col += t.size();
    } else if (col + t.size() + 2 > kColumns) {
      col = t.size() + 2;
      out += " \\\n  ";
    } else {
      col += t.size() + 1;
      out += ' ';
    }
    out += t;
  }
  out += ':';
  col += 1;
  for (const auto& d : deps) {
    if (col + d.size() + 1 + 2 > kColumns) {
      out += " \\\n ";
      col = 2;
    }
    out += ' ';
    out += d;
    col += d.size() + 1;
  }
  out += '\n';
  return out;
}

}  // namespace

DotdStyle dotd_style_for(std::string_view compiler) {
  std::size_t slash = compiler.rfind('/');
  std::string_view base = slash == std::string_view::npos ? compiler : compiler.substr(slash + 1);
  return base.find("clang") != std::string_view::npos ? DotdStyle::clang : DotdStyle::gcc;
}

std::string replace_paths(std::string_view text, std::string_view root, std::string_view temp_object,
                          std::string_view target) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!root.empty() && text.compare(pos, root.size(), root) == 0) {
      pos += root.size();
    } else if (!temp_object.empty() && text.compare(pos, temp_object.size(), temp_object) == 0) {
      out += target;
      pos += temp_object.size();
    } else {
      out += text[pos++];
    }
  }
  return out;
}

std::string rewrite_dotd(std::string_view dotd, std::string_view root, std::string_view temp_object,
                         std::string_view target, DotdStyle style) {
  std::string text = replace_paths(dotd, root, temp_object, target);
  // The first rule runs to the first newline not preceded by a backslash.
  std::size_t end = 0;
  while (end < text.size() && !(text[end] == '\n' && (end == 0 || text[end - 1] != '\\'))) ++end;
  if (end == text.size()) return text;
  std::string joined;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\\' && i + 1 < end && text[i + 1] == '\n') {
      ++i;  // a continuation: the line break goes, the blanks around it separate names
      joined += ' ';
    } else {
      joined += text[i];
    }
  }
  std::size_t colon = rule_colon(joined);
  if (colon == std::string::npos) return text;
  auto targets = split_names(std::string_view(joined).substr(0, colon));
  auto deps = split_names(std::string_view(joined).substr(colon + 1));
  if (targets.empty()) return text;
  std::string rule = style == DotdStyle::clang ? wrap_clang(targets, deps) : wrap_gcc(targets, deps);
  return rule + text.substr(end + 1);
}

}  // namespace dcc
