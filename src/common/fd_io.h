// Reading and writing whole buffers on a descriptor, each stall bounded by a timeout.
// The descriptor is switched to non-blocking mode so that a peer that stops reading or writing
// costs at most `timeout` per stall (distcc's DISTCC_IO_TIMEOUT semantics).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace dcc {

using Millis = std::chrono::milliseconds;

Status set_nonblocking(int fd);

// Waits until `fd` is readable (events=POLLIN) or writable (POLLOUT). Error on timeout.
Status wait_for_fd(int fd, short events, Millis timeout, std::string_view what);

Status write_all(int fd, std::string_view data, Millis timeout, std::string_view what);

// Reads up to `max` bytes; returns 0 only at end of stream.
Result<std::size_t> read_some(int fd, char* buffer, std::size_t max, Millis timeout,
                              std::string_view what);

// Whole-file helpers for regular files (no timeout needed).
Result<std::string> read_file(const std::string& path);
Status write_file(const std::string& path, std::string_view data, int mode = 0644);

std::string errno_text(int err);

}  // namespace dcc
