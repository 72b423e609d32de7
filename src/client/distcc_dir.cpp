#include "client/distcc_dir.h"

#include <sys/stat.h>

#include <cerrno>

#include "common/fd_io.h"

namespace dcc {
namespace {

Status make_directory_chain(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return make_error(ExitCode::io_error, path + " is not a directory");
  }
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    if (auto s = make_directory_chain(path.substr(0, slash)); !s) return s;
  }
  // 0777 less the umask, as mkdir(1) and 3.4 do; another process may have won the race.
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
    return make_error(ExitCode::io_error, "cannot create directory " + path + ": " + errno_text(errno));
  }
  return {};
}

}  // namespace

Result<std::string> ensure_distcc_subdir(const std::string& distcc_dir, const std::string& name) {
  std::string dir = distcc_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::string path = dir + "/" + name;
  if (auto s = make_directory_chain(path); !s) return s.error();
  return path;
}

}  // namespace dcc
