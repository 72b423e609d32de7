#include "daemon/host_probe.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <charconv>
#include <vector>

#include "common/fd_io.h"

namespace dcc {
namespace {

std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

template <class T>
bool to_number(std::string_view word, T& value) {
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  return ec == std::errc() && end == word.data() + word.size();
}

// Small /proc files are read whole with one read(); a missing or unreadable one is "".
std::string read_small_file(const std::string& path) {
  auto text = read_file(path);
  return text ? std::move(*text) : std::string();
}

void scan_processes(HostSample& sample) {
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return;
  long page_kb = ::sysconf(_SC_PAGESIZE) / 1024;
  sample.procs_in_D = 0;
  sample.max_rss_kb = 0;
  while (dirent* entry = ::readdir(proc)) {
    int pid = 0;
    if (!to_number(std::string_view(entry->d_name), pid)) continue;
    auto stat = parse_proc_stat(read_small_file(std::string("/proc/") + entry->d_name + "/stat"));
    if (!stat) continue;  // the process ended meanwhile
    if (stat->state == 'D') ++sample.procs_in_D;
    if (stat->rss_pages * page_kb > sample.max_rss_kb) {
      sample.max_rss_kb = stat->rss_pages * page_kb;
      sample.max_rss_name = stat->name;
    }
  }
  ::closedir(proc);
}

bool is_whole_disk(const std::string& name) {
  // Real disks have a device behind them; partitions, loop, zram and dm devices do not.
  struct stat st {};
  return name.find('/') == std::string::npos &&
         ::stat(("/sys/block/" + name + "/device").c_str(), &st) == 0;
}

}  // namespace

bool parse_loadavg(std::string_view text, HostSample& sample) {
  auto words = split_spaces(text);
  if (words.size() < 4) return false;
  double load[3];
  for (int i = 0; i < 3; ++i) {
    if (!to_number(words[i], load[i])) return false;
  }
  auto slash = words[3].find('/');
  int runnable = 0;
  if (slash == std::string_view::npos || !to_number(words[3].substr(0, slash), runnable))
    return false;
  for (int i = 0; i < 3; ++i) sample.load[i] = load[i];
  sample.runnable = runnable;
  return true;
}

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::nullopt;
  ProcStat stat;
  stat.name = std::string(text.substr(open, close - open + 1));
  // After the name: state (field 3) ... rss (field 24).
  auto fields = split_spaces(text.substr(close + 1));
  if (fields.size() < 22 || fields[0].size() != 1) return std::nullopt;
  stat.state = fields[0][0];
  if (!to_number(fields[21], stat.rss_pages)) return std::nullopt;
  return stat;
}

std::optional<std::uint64_t> sum_disk_sectors(
    std::string_view diskstats, const std::function<bool(const std::string&)>& is_whole_disk) {
  std::uint64_t total = 0;
  bool any = false;
  std::size_t start = 0;
  while (start < diskstats.size()) {
    std::size_t end = diskstats.find('\n', start);
    if (end == std::string_view::npos) end = diskstats.size();
    auto fields = split_spaces(diskstats.substr(start, end - start));
    start = end + 1;
    // major minor name reads merged SECTORS_READ ms writes merged SECTORS_WRITTEN ...
    std::uint64_t read = 0, written = 0;
    if (fields.size() < 10 || !to_number(fields[5], read) || !to_number(fields[9], written))
      continue;
    if (!is_whole_disk(std::string(fields[2]))) continue;
    total += read + written;
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

HostSample probe_host(const std::string& temp_dir) {
  HostSample sample;
  parse_loadavg(read_small_file("/proc/loadavg"), sample);
  scan_processes(sample);
  sample.disk_sectors = sum_disk_sectors(read_small_file("/proc/diskstats"), is_whole_disk);
  struct statvfs fs {};
  if (::statvfs(temp_dir.c_str(), &fs) == 0) {
    sample.free_space_mb = static_cast<long>(static_cast<unsigned long long>(fs.f_bavail) *
                                             fs.f_frsize / (1024 * 1024));
  }
  return sample;
}

}  // namespace dcc
