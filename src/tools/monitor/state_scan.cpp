#include "tools/monitor/state_scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <memory>
#include <optional>
#include <string_view>

#include "common/fd_io.h"
#include "common/unique_fd.h"

namespace dcc::monitor {
namespace {

constexpr std::string_view kStatePrefix = "binstate_";

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

// At most one record's worth, as 3.4 reads; never more, whatever the file's size.
std::optional<std::string> read_record_bytes(int fd) {
  std::string bytes(kTaskRecordSize, '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

// One directory entry: the job it describes, if any, and why not when that is worth a warning.
std::optional<MonitorTask> read_state_file(const std::string& path, std::time_t now,
                                           const ProcessProbe& alive, std::vector<std::string>& warnings) {
  // Opened first so the file cannot vanish between the checks; O_NONBLOCK so a FIFO cannot hang us.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd) {
    if (errno != ENOENT) warnings.push_back("cannot open " + path + ": " + errno_text(errno));
    return std::nullopt;  // ENOENT: the client finished while we listed the directory
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (now - st.st_mtime > kStateMaxAgeSeconds) {
    // A client rewrites its file on every phase change; one this old was left by a killed client.
    fd.reset();
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      warnings.push_back("cannot remove stale " + path + ": " + errno_text(errno));
    }
    return std::nullopt;
  }
  auto bytes = read_record_bytes(fd.get());
  if (!bytes) {
    warnings.push_back("cannot read " + path + ": " + errno_text(errno));
    return std::nullopt;
  }
  auto decoded = decode_task_record(*bytes);
  if (auto* problem = std::get_if<RecordProblem>(&decoded)) {
    if (*problem != RecordProblem::truncated) {
      warnings.push_back(std::string(problem_text(*problem)) + ": " + path);
    }
    return std::nullopt;
  }
  auto& task = std::get<MonitorTask>(decoded);
  if (task.phase != Phase::done && !alive(task.pid)) return std::nullopt;
  return std::move(task);
}

}  // namespace

bool process_exists(unsigned long pid) {
  if (pid == 0 || pid > static_cast<unsigned long>(INT_MAX)) return false;
  if (::kill(static_cast<pid_t>(pid), 0) == 0) return true;
  return errno == EPERM;  // someone else's process, still a real client
}

Result<StateScan> scan_state_dir(const std::string& dir, std::time_t now, const ProcessProbe& alive) {
  StateScan scan;
  DirHandle handle(::opendir(dir.c_str()));
  if (!handle) {
    if (errno == ENOENT) return scan;  // no client has run yet
    return make_error(ExitCode::io_error, "cannot read state directory " + dir + ": " + errno_text(errno));
  }
  // Directory order, not sorted names: 3.4 breaks ties in display order by it.
  while (const dirent* entry = ::readdir(handle.get())) {
    std::string_view name = entry->d_name;
    if (!name.starts_with(kStatePrefix)) continue;
    if (auto task = read_state_file(dir + "/" + std::string(name), now, alive, scan.warnings)) {
      scan.tasks.push_back(std::move(*task));
    }
  }
  sort_for_display(scan.tasks);
  return scan;
}

}  // namespace dcc::monitor
