// Splitting a path into its components: "/a//b/./c/" -> {"a", "b", ".", "c"} (empty components
// dropped; "." and ".." kept for the caller to interpret). Used by the daemon's mirror root and
// the include analysis, which both resolve paths one component at a time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcc {

std::vector<std::string> path_components(std::string_view path);

}  // namespace dcc
