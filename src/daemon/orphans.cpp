#include "daemon/orphans.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <charconv>
#include <memory>
#include <string>

#include "common/fd_io.h"
#include "common/temp_files.h"

namespace dcc {

std::optional<pid_t> parent_pid_from_stat(std::string_view stat_line) {
  auto close = stat_line.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = stat_line.substr(close + 1);  // " S 1234 ..."
  auto state = rest.find_first_not_of(' ');
  if (state == std::string_view::npos) return std::nullopt;
  auto ppid_start = rest.find_first_not_of(' ', rest.find(' ', state));
  if (ppid_start == std::string_view::npos) return std::nullopt;
  pid_t ppid = 0;
  auto [end, ec] = std::from_chars(rest.data() + ppid_start, rest.data() + rest.size(), ppid);
  if (ec != std::errc() || (end != rest.data() + rest.size() && *end != ' ')) return std::nullopt;
  return ppid;
}

bool become_subreaper() { return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

std::vector<pid_t> adopted_children(const std::set<pid_t>& workers) {
  std::vector<pid_t> found;
  std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
  if (!proc) return found;
  pid_t self = ::getpid();
  while (dirent* entry = ::readdir(proc.get())) {
    pid_t pid = 0;
    std::string_view name(entry->d_name);
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc() || end != name.data() + name.size() || workers.count(pid)) continue;
    auto stat = read_file("/proc/" + std::string(name) + "/stat");  // gone meanwhile: not ours
    if (stat && parent_pid_from_stat(*stat) == self) found.push_back(pid);
  }
  return found;
}

int kill_adopted_children(const std::set<pid_t>& workers) {
  auto orphans = adopted_children(workers);
  for (pid_t pid : orphans) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  return static_cast<int>(orphans.size());
}

std::string job_temp_prefix(pid_t worker) { return "distccd_w" + std::to_string(worker); }

int remove_job_temp_dirs(const std::string& root, pid_t worker) {
  std::string prefix = job_temp_prefix(worker) + "_";
  std::vector<std::string> found;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(root.c_str()), ::closedir);
  if (!dir) return 0;
  while (dirent* entry = ::readdir(dir.get())) {
    if (std::string_view(entry->d_name).rfind(prefix, 0) == 0) found.push_back(root + "/" + entry->d_name);
  }
  for (const auto& path : found) remove_tree(path);  // never follows the symlinks a pump job made
  return static_cast<int>(found.size());
}

}  // namespace dcc
