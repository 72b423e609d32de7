// Temporary files and directories that clean up after themselves, and AtomicFile, which makes a
// result appear at its final path complete or not at all (never a half-written .o).
#pragma once

#include <string>
#include <string_view>

#include "common/interrupt_cleanup.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace dcc {

// The directory for temporary files: $TMPDIR if set and usable, else /tmp. Supplied by callers
// from their environment snapshot.
std::string temp_root(const char* tmpdir_env);

class TempDir {
 public:
  // Creates <root>/<prefix>_XXXXXX. `root` defaults to /tmp.
  static Result<TempDir> create(std::string_view prefix, const std::string& root = "/tmp");
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  void keep() {  // DISTCC_SAVE_TEMPS
    keep_ = true;
    on_signal_.release();
  }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)), on_signal_(path_, CleanupKind::directory) {}
  std::string path_;
  bool keep_ = false;
  InterruptCleanup on_signal_;
};

// Removes a directory tree; errors are ignored (best-effort cleanup).
void remove_tree(const std::string& path);

// A file written beside `target` under a unique temporary name and renamed over `target` by
// commit(). If commit() is never called the temporary file is removed.
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::string& target);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  Status write(std::string_view data);
  Status commit();
  const std::string& temp_path() const { return temp_path_; }

 private:
  AtomicFile(std::string target, std::string temp_path, UniqueFd fd)
      : target_(std::move(target)),
        temp_path_(std::move(temp_path)),
        fd_(std::move(fd)),
        on_signal_(temp_path_, CleanupKind::file) {}
  std::string target_;
  std::string temp_path_;
  UniqueFd fd_;
  bool committed_ = false;
  InterruptCleanup on_signal_;
};

// Writes `data` to `target` atomically.
Status write_file_atomically(const std::string& target, std::string_view data);

}  // namespace dcc
