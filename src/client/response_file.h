// Expanding @file arguments the way GCC does (libiberty expandargv): the file's contents are split
// on whitespace with '...' / "..." quoting and backslash escapes, recursively. An @file that
// cannot be read is left in place, which makes the job run locally (the compiler will then
// report it as the user expects).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dcc {

using ReadTextFile = std::function<std::optional<std::string>(const std::string& path)>;

std::vector<std::string> split_response_text(const std::string& text);
std::vector<std::string> expand_response_files(const std::vector<std::string>& argv, const ReadTextFile& read);

}  // namespace dcc
