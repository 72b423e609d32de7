#include "tools/update-distcc-symlinks/masquerade_scan.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace dcc {
namespace {

// Names of the entries of `dir`, sorted; a missing or unreadable directory gives none.
std::vector<fs::directory_entry> entries_of(const fs::path& dir) {
  std::vector<fs::directory_entry> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    out.push_back(*it);
  std::sort(out.begin(), out.end());
  return out;
}

bool is_real_directory(const fs::directory_entry& entry) {
  std::error_code ec;
  return !entry.is_symlink(ec) && entry.is_directory(ec);
}

// One directory of gcc targets (/usr/lib/gcc): each subdirectory is a triple holding versions.
void add_targets(const fs::path& dir, std::vector<GccTarget>& out) {
  for (const auto& triple : entries_of(dir)) {
    std::error_code ec;
    if (!triple.is_directory(ec)) continue;
    GccTarget target{triple.path().filename().string(), {}};
    for (const auto& version : entries_of(triple.path())) {
      if (is_real_directory(version)) target.versions.push_back(version.path().filename().string());
    }
    out.push_back(std::move(target));
  }
}

}  // namespace

std::string under_root(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/") return path;
  std::string base = root;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  return base + path;
}

Result<CompilerInputs> scan_compilers(const std::string& root, const std::string& bin_dir) {
  CompilerInputs inputs;
  const fs::path lib = under_root(root, "/usr/lib");
  add_targets(lib / "gcc", inputs.gcc_targets);
  add_targets(lib / "gcc-cross", inputs.gcc_targets);
  for (const auto& entry : entries_of(lib)) {
    std::string name = entry.path().filename().string();
    std::error_code ec;
    if (name.rfind("llvm-", 0) == 0 && entry.is_directory(ec)) inputs.llvm_dirs.push_back(name);
    // Multiarch directories (/usr/lib/x86_64-linux-gnu/gcc) hold targets too on Debian.
    if (name != "gcc" && name != "gcc-cross" && fs::is_directory(entry.path() / "gcc", ec)) {
      add_targets(entry.path() / "gcc", inputs.gcc_targets);
    }
  }
  std::error_code ec;
  fs::directory_iterator it(bin_dir, ec);
  if (ec) return make_error(ExitCode::io_error, "cannot read " + bin_dir + ": " + ec.message());
  for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) continue;
    if (::access(it->path().c_str(), X_OK) == 0)
      inputs.bin_executables.insert(it->path().filename().string());
  }
  if (ec) return make_error(ExitCode::io_error, "cannot read " + bin_dir + ": " + ec.message());
  return inputs;
}

Result<std::vector<LinkEntry>> read_masquerade_dir(const std::string& root,
                                                   const std::string& dir) {
  std::vector<LinkEntry> out;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return out;
  fs::directory_iterator it(dir, ec);
  if (ec) return make_error(ExitCode::io_error, "cannot read " + dir + ": " + ec.message());
  for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
    LinkEntry entry{it->path().filename().string(), false, "", false};
    std::error_code link_ec;
    if (it->is_symlink(link_ec)) {
      entry.is_symlink = true;
      entry.target = fs::read_symlink(it->path(), link_ec).string();
      fs::path resolved = entry.target.starts_with("/") ? fs::path(under_root(root, entry.target))
                                                        : fs::path(dir) / entry.target;
      entry.dangling = !fs::exists(resolved, link_ec);
      entry.to_directory = !entry.dangling && fs::is_directory(resolved, link_ec);
    }
    out.push_back(std::move(entry));
  }
  if (ec) return make_error(ExitCode::io_error, "cannot read " + dir + ": " + ec.message());
  return out;
}

}  // namespace dcc
