// Reading and editing Gentoo's /etc/env.d/02distcc: lines of VAR="value" that env-update turns
// into the login environment. Pure text in, text out, so edits are tested without files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcc {

// A shell variable name: [A-Za-z_][A-Za-z0-9_]*.
bool is_env_name(std::string_view name);

// The value of the last VAR= line (env-update lets later lines win), quotes and backslash escapes
// removed; nullopt when VAR has no line. Comments and blank lines are skipped.
std::optional<std::string> env_file_get(std::string_view text, std::string_view var);

// `text` with VAR set to `value`: the first VAR= line is replaced by VAR="value", any later ones
// are dropped, and a new line is appended when there was none. Every other line (comments
// included) is kept byte for byte. '"', '\\', '$' and '`' in value are backslash-escaped. Fails
// on an invalid name or a value with a newline (it would end the line).
Result<std::string> env_file_set(std::string_view text, std::string_view var,
                                 std::string_view value);

}  // namespace dcc
