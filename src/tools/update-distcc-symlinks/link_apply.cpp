#include "tools/update-distcc-symlinks/link_apply.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace dcc {
namespace {

std::string errno_text() { return std::strerror(errno); }

// A temporary name no other process uses: ours has our pid and a counter for this directory.
std::string temp_name(const std::string& dir, const std::string& name, int attempt) {
  return dir + "/." + name + ".dcc-tmp." + std::to_string(::getpid()) + "." +
         std::to_string(attempt);
}

}  // namespace

Status ensure_directory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(ExitCode::io_error, "cannot create " + dir + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) {
    return make_error(ExitCode::io_error, "cannot use " + dir + ": not a directory");
  }
  return {};
}

Status replace_with_symlink(const std::string& dir, const std::string& name,
                            const std::string& target) {
  std::string temp;
  for (int attempt = 0;; ++attempt) {
    temp = temp_name(dir, name, attempt);
    if (::symlink(target.c_str(), temp.c_str()) == 0) break;
    if (errno != EEXIST || attempt >= 100) {
      return make_error(ExitCode::io_error,
                        "cannot create link " + dir + "/" + name + ": " + errno_text());
    }
  }
  std::string final_path = dir + "/" + name;
  if (::rename(temp.c_str(), final_path.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(temp.c_str());
    return make_error(ExitCode::io_error, "cannot create link " + final_path + ": " + why);
  }
  return {};
}

Status apply_plan(const LinkPlan& plan, const std::string& dir, const std::string& target,
                  std::ostream* verbose) {
  for (const auto& name : plan.remove) {
    std::string path = dir + "/" + name;
    if (verbose) *verbose << "Removing " << path << '\n';
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return make_error(ExitCode::io_error, "cannot remove " + path + ": " + errno_text());
    }
  }
  for (const auto& name : plan.create) {
    if (verbose) *verbose << "Adding " << dir << '/' << name << '\n';
    if (auto st = replace_with_symlink(dir, name, target); !st) return st;
  }
  return {};
}

}  // namespace dcc
