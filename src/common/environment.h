// An environment snapshot: taken once in main, then passed by value or reference, so no code
// below main calls getenv.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace dcc {

using Environment = std::map<std::string, std::string>;

Environment snapshot_environment();
std::optional<std::string> lookup_env(const Environment& env, const std::string& name);

}  // namespace dcc
