#include "client/slot_lock.h"

#include <fcntl.h>

#include <cerrno>

#include "common/fd_io.h"

namespace dcc {

Result<std::optional<SlotLock>> SlotLock::try_acquire(const std::string& path) {
  // 0666 like 3.4 (less the umask): users sharing a DISTCC_DIR, as Portage does, share slots.
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
  if (!fd) return make_error(ExitCode::io_error, "cannot open lock file " + path + ": " + errno_text(errno));
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;  // start 0, length 0: the whole file, as 3.4 locks it
  if (::fcntl(fd.get(), F_OFD_SETLK, &lock) == 0) return std::optional<SlotLock>(SlotLock(std::move(fd), path));
  if (errno == EAGAIN || errno == EACCES) return std::optional<SlotLock>();
  return make_error(ExitCode::io_error, "cannot lock " + path + ": " + errno_text(errno));
}

}  // namespace dcc
