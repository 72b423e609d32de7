// Turning the .d file a pump-mode compile wrote inside its mirror root into the one a local
// compile writes: paths lose the root prefix, the temporary object name becomes the client's,
// and the first rule is re-wrapped as the compiler wraps it (the shorter paths would otherwise
// leave the line breaks where the longer server paths put them). Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace dcc {

enum class DotdStyle {
  gcc,    // mkdeps.cc: breaks before a name that would pass column 72
  clang,  // DependencyFileGenerator: 75 columns, two-space continuation for targets
};

// The compiler family of a compiler name ("x86_64-linux-gnu-gcc" -> gcc, "clang++-14" -> clang).
DotdStyle dotd_style_for(std::string_view compiler);

// Every occurrence of `root` removed and of `temp_object` replaced by `target`, then the first
// rule re-wrapped in `style`. Anything that does not parse as a rule is left as it is.
std::string rewrite_dotd(std::string_view dotd, std::string_view root, std::string_view temp_object,
                         std::string_view target, DotdStyle style);

// Only the substitutions (also used on the compiler's diagnostics).
std::string replace_paths(std::string_view text, std::string_view root, std::string_view temp_object,
                          std::string_view target);

}  // namespace dcc
