#include "common/temp_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "common/fd_io.h"

namespace dcc {

std::string temp_root(const char* tmpdir_env) {
  if (tmpdir_env && *tmpdir_env) {
    std::string dir(tmpdir_env);
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (::access(dir.c_str(), W_OK | X_OK) == 0) return dir;
  }
  return "/tmp";
}

Result<TempDir> TempDir::create(std::string_view prefix, const std::string& root) {
  std::string pattern = root + "/" + std::string(prefix) + "_XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    return make_error(ExitCode::io_error, "cannot create a temporary directory in " + root + ": " + errno_text(errno));
  }
  return TempDir(std::move(pattern));
}

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::move(other.path_)), keep_(other.keep_), on_signal_(std::move(other.on_signal_)) {
  other.path_.clear();
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    if (!path_.empty() && !keep_) remove_tree(path_);
    path_ = std::move(other.path_);
    keep_ = other.keep_;
    on_signal_ = std::move(other.on_signal_);
    other.path_.clear();
  }
  return *this;
}

TempDir::~TempDir() {
  if (!path_.empty() && !keep_) remove_tree(path_);
}

void remove_tree(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

Result<AtomicFile> AtomicFile::create(const std::string& target) {
  // A hidden sibling name in the same directory, so rename() is atomic. O_EXCL with mode 0666
  // lets the umask decide the permissions exactly as for a file the compiler writes itself.
  std::string dir = ".";
  std::string base = target;
  if (auto slash = target.rfind('/'); slash != std::string::npos) {
    dir = slash == 0 ? "/" : target.substr(0, slash);
    base = target.substr(slash + 1);
  }
  std::random_device seed;
  std::mt19937_64 random(seed());
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = (dir == "/" ? "" : dir) + "/." + base + ".tmp" + std::to_string(::getpid()) + "_" +
                       std::to_string(random() % 1000000007ULL);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return AtomicFile(target, temp, UniqueFd(fd));
    if (errno != EEXIST) {
      return make_error(errno == ENOSPC ? ExitCode::io_error : ExitCode::io_error,
                        "cannot create a temporary file beside " + target + ": " + errno_text(errno));
    }
  }
  return make_error(ExitCode::io_error, "cannot find a free temporary name beside " + target);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)), temp_path_(std::move(other.temp_path_)), fd_(std::move(other.fd_)),
      committed_(other.committed_),
      on_signal_(std::move(other.on_signal_)) {
  other.temp_path_.clear();
}

AtomicFile::~AtomicFile() {
  if (!temp_path_.empty() && !committed_) ::unlink(temp_path_.c_str());
}

Status AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ExitCode::io_error, "cannot write " + target_ + ": " + errno_text(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status AtomicFile::commit() {
  // close() can report a delayed write error (NFS, full disk); only rename after it succeeded.
  if (::close(fd_.release()) != 0) {
    return make_error(ExitCode::io_error, "cannot write " + target_ + ": " + errno_text(errno));
  }
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    return make_error(ExitCode::io_error, "cannot rename " + temp_path_ + " to " + target_ + ": " + errno_text(errno));
  }
  committed_ = true;
  on_signal_.release();
  return {};
}

Status write_file_atomically(const std::string& target, std::string_view data) {
  auto file = AtomicFile::create(target);
  if (!file) return file.error();
  if (auto s = file->write(data); !s) return s;
  return file->commit();
}

}  // namespace dcc
