// Refuses preprocessed sources that would make the compiler or assembler read other files on the
// server. A .i file that names another file can leak it into the reply: `asm(".incbin \"/etc/shadow\"")`
// embeds it in the object, and an `#include` line is honoured when the compiler is told to
// preprocess again (-fdirectives-only output, -x c). Honest preprocessed output contains none of
// these, so refusing them costs nothing; the client then compiles locally.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dcc {

std::optional<std::string> find_unsafe_source_content(std::string_view source);

}  // namespace dcc
