#include "tools/distcc-config/env_file.h"

#include <vector>

namespace dcc {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  }
  return lines;
}

// The value part when `line` assigns `var` ("VAR=...", optionally after blanks or "export ").
std::optional<std::string_view> assigned_value(std::string_view line, std::string_view var) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (line.starts_with("export ")) line.remove_prefix(7);
  if (!line.starts_with(var) || line.size() <= var.size() || line[var.size()] != '=')
    return std::nullopt;
  return line.substr(var.size() + 1);
}

std::string unquote(std::string_view raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r'))
    raw.remove_suffix(1);
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (quote == 0 && (c == '"' || c == '\'')) {
      quote = c;
    } else if (c == quote) {
      quote = 0;
    } else if (c == '\\' && quote != '\'' && i + 1 < raw.size()) {
      out += raw[++i];
    } else {
      out += c;
    }
  }
  return out;
}

std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\' || c == '$' || c == '`') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> env_file_get(std::string_view text, std::string_view var) {
  std::optional<std::string> found;
  for (auto line : split_lines(text)) {
    if (auto value = assigned_value(line, var)) found = unquote(*value);
  }
  return found;
}

Result<std::string> env_file_set(std::string_view text, std::string_view var,
                                 std::string_view value) {
  if (!is_env_name(var))
    return make_error(ExitCode::bad_arguments,
                      "invalid variable name \"" + std::string(var) + "\"");
  if (value.find('\n') != std::string_view::npos) {
    return make_error(ExitCode::bad_arguments,
                      "the value of " + std::string(var) + " contains a newline");
  }
  std::string line = std::string(var) + "=" + quoted(value);
  std::string out;
  bool written = false;
  for (auto existing : split_lines(text)) {
    if (assigned_value(existing, var)) {
      if (!written) out += line + "\n";
      written = true;
    } else {
      out += std::string(existing) + "\n";
    }
  }
  if (!written) out += line + "\n";
  return out;
}

}  // namespace dcc
