// A held slot: an exclusive lock on one file in $DISTCC_DIR/lock, released when this goes away
// (or when the process dies, so a killed distcc never leaks a slot).
//
// We take open-file-description locks (F_OFD_SETLK). Linux makes them conflict with the classic
// fcntl(F_SETLK) record locks distcc 3.4 takes on the same files, so both kinds of client see
// each other's slots; unlike classic locks they are not dropped when some other descriptor of
// the same file in this process is closed.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace dcc {

class SlotLock {
 public:
  // nullopt when another process holds the slot; an error when the file cannot be opened.
  static Result<std::optional<SlotLock>> try_acquire(const std::string& path);

  const std::string& path() const { return path_; }

 private:
  SlotLock(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

}  // namespace dcc
