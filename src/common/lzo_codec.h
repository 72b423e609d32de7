// LZO1X-1 compression exactly as distcc 3.4 puts it on the wire: one raw block per bulk item,
// no lzop header. The receiver does not know the uncompressed size.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcc {

Result<std::string> lzo_compress(std::string_view plain);

// Fails (protocol_error) on corrupt input or if the result would exceed `max_size` bytes.
Result<std::string> lzo_decompress(std::string_view compressed, std::size_t max_size);

}  // namespace dcc
