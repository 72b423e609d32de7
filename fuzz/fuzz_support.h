// Helpers shared by the fuzz targets: the input as a readable stream, and the input split into
// an argument vector or into several files.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/unique_fd.h"

namespace dcc::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A memfd holding `bytes`, positioned at the start: what the protocol reader sees is exactly the
// input followed by end of stream, as from a peer that sent it and closed the connection. (A pipe
// would need a writer thread once the input outgrows the pipe buffer.)
inline UniqueFd stream_of(std::string_view bytes) {
  UniqueFd fd(::memfd_create("fuzz-stream", MFD_CLOEXEC));
  if (!fd) return fd;
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n <= 0) return UniqueFd();
    done += static_cast<std::size_t>(n);
  }
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) return UniqueFd();
  return fd;
}

// Pieces of `text` between separators; a trailing separator does not add an empty piece.
inline std::vector<std::string> split_on(std::string_view text, std::string_view separators) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of(separators, start);
    if (end == std::string_view::npos) end = text.size();
    pieces.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return pieces;
}

}  // namespace dcc::fuzz
