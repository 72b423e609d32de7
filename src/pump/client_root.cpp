#include "pump/client_root.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "common/fd_io.h"
#include "common/lzo_codec.h"
#include "common/path_components.h"

namespace dcc::pump {
namespace {

Status make_parents(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return make_error(ExitCode::io_error, "cannot create the directory for " + path + ": " + ec.message());
  return {};
}

bool usable_dir(const char* dir) {
  struct stat st;
  return ::stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && ::access(dir, W_OK | X_OK) == 0;
}

}  // namespace

// The root must have exactly three path components (clients strip that many): a unique directory
// in a base of two components, or one more level below a base of one.
Result<ClientRoot> ClientRoot::create(const std::string& base) {
  std::string where = base;
  if (where.empty()) where = usable_dir("/dev/shm") ? "/dev/shm" : "/tmp";
  std::size_t depth = path_components(where).size();
  if (where.front() != '/' || depth < 1 || depth > 2) {
    return make_error(ExitCode::bad_arguments, "DISTCC_CLIENT_TMP " + where + " must be an absolute directory of one or two path components");
  }
  auto dir = TempDir::create("dcc-pump", where);
  if (!dir) return dir.error();
  std::string root = dir->path();
  if (depth == 1) {
    root += "/r";
    if (::mkdir(root.c_str(), 0700) != 0) {
      return make_error(ExitCode::io_error, "cannot create " + root + ": " + errno_text(errno));
    }
  }
  return ClientRoot(std::move(*dir), std::move(root));
}

Result<std::string> ClientRoot::compressed_copy(const std::string& file) {
  std::string copy = root_ + file + ".lzo";
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return make_error(ExitCode::io_error, "cannot stat " + file + ": " + errno_text(errno));
  Stamp stamp{st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ino};
  auto known = copies_.find(file);
  if (known != copies_.end() && known->second == stamp) return copy;
  auto text = read_file(file);
  if (!text) return text.error();
  auto packed = text->empty() ? Result<std::string>(std::string()) : lzo_compress(*text);
  if (!packed) return packed.error();
  if (auto s = make_parents(copy); !s) return s.error();
  if (auto s = write_file_atomically(copy, *packed); !s) return s.error();
  ++compressions_;
  copies_[file] = stamp;
  return copy;
}

Result<std::string> ClientRoot::link_copy(const SymlinkEntry& link) {
  std::string copy = root_ + link.path;
  if (auto s = make_parents(copy); !s) return s.error();
  // Recreated each time: the link on disk may have changed since the last compile.
  std::string temp = copy + ".new-link";
  ::unlink(temp.c_str());
  if (::symlink(link.target.c_str(), temp.c_str()) != 0 || ::rename(temp.c_str(), copy.c_str()) != 0) {
    return make_error(ExitCode::io_error, "cannot copy the link " + link.path + ": " + errno_text(errno));
  }
  return copy;
}

Result<std::string> ClientRoot::directory_marker(const std::string& dir) {
  std::string marker = root_ + dir + "/" + kDirectoryMarker;
  if (auto s = make_parents(marker); !s) return s.error();
  if (::access(marker.c_str(), F_OK) != 0) {
    if (auto s = write_file_atomically(marker, ""); !s) return s.error();
  }
  return marker;
}

Result<std::vector<std::string>> ClientRoot::materialize(const IncludeAnalysis& analysis) {
  std::vector<std::string> paths;
  paths.reserve(analysis.files.size() + analysis.symlinks.size() + analysis.directories.size());
  for (const auto& file : analysis.files) {
    auto copy = compressed_copy(file);
    if (!copy) return copy.error();
    paths.push_back(std::move(*copy));
  }
  for (const auto& link : analysis.symlinks) {
    auto copy = link_copy(link);
    if (!copy) return copy.error();
    paths.push_back(std::move(*copy));
  }
  for (const auto& dir : analysis.directories) {
    auto marker = directory_marker(dir);
    if (!marker) return marker.error();
    paths.push_back(std::move(*marker));
  }
  return paths;
}

}  // namespace dcc::pump
