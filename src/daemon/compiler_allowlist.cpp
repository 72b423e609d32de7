#include "daemon/compiler_allowlist.h"

#include <algorithm>
#include <cctype>

namespace dcc {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), s.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
}

// The last `words` '/'-separated components of `path` (DISTCC_CMDLIST_NUMWORDS).
std::string_view last_components(std::string_view path, int words) {
  std::size_t pos = path.size();
  for (int i = 0; i < words; ++i) {
    std::size_t slash = path.rfind('/', pos == 0 ? 0 : pos - 1);
    if (slash == std::string_view::npos || pos == 0) return path;
    pos = slash;
  }
  return path.substr(pos + 1);
}

bool has_unsafe_characters(std::string_view name) {
  return std::any_of(name.begin(), name.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == ' ' || c == '\t';
  });
}

}  // namespace

Result<std::string> check_compiler(std::string_view requested, const CompilerAllowlist& allowlist,
                                   const std::function<bool(const std::string&)>& is_executable) {
  std::string shown(requested.substr(0, 80));
  if (requested.empty()) return make_error(ExitCode::compiler_missing, "empty compiler name");
  if (has_unsafe_characters(requested) || requested.find('\0') != std::string_view::npos) {
    return make_error(ExitCode::access_denied, "compiler name contains spaces or control characters");
  }
  if (requested.front() == '-') {
    return make_error(ExitCode::access_denied, "compiler name \"" + shown + "\" starts with '-'");
  }

  if (allowlist.cmdlist_set || !allowlist.cmdlist.empty()) {
    std::string_view key = last_components(requested, allowlist.cmdlist_numwords);
    for (const auto& entry : allowlist.cmdlist) {
      if (last_components(entry, allowlist.cmdlist_numwords) == key) return entry;
    }
    return make_error(ExitCode::access_denied, "compiler \"" + shown + "\" is not in DISTCC_CMDLIST");
  }

  std::string_view name = requested;
  // QtCreator and others send /usr/bin/gcc; 3.4 strips these two prefixes (case-insensitively).
  for (std::string_view prefix : {std::string_view("/usr/bin/"), std::string_view("/bin/")}) {
    if (starts_with_nocase(name, prefix)) {
      name.remove_prefix(prefix.size());
      break;
    }
  }
  if (name.find('/') != std::string_view::npos) {
    return make_error(ExitCode::access_denied, "compiler \"" + shown + "\" is a path; only names of allowed compilers are run");
  }
  if (name == "." || name == ".." || name.empty()) {
    return make_error(ExitCode::access_denied, "compiler name \"" + shown + "\" is not a program name");
  }
  if (allowlist.insecure) return std::string(name);
  for (const auto& dir : allowlist.masquerade_dirs) {
    if (is_executable(dir + "/" + std::string(name))) return std::string(name);
  }
  std::string dirs;
  for (const auto& dir : allowlist.masquerade_dirs) dirs += (dirs.empty() ? "" : " or ") + dir;
  return make_error(ExitCode::access_denied, "compiler \"" + std::string(name) + "\" is not allowed: no such link in " +
                                                 dirs + " (run update-distcc-symlinks)");
}

}  // namespace dcc
