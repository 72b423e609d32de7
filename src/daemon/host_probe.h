// Facts about the machine that distcc 3.4's stats page reports (load, processes, disk I/O, free
// space in the temp dir). Reading them is the only I/O here; each file's parsing is a pure
// function, tested on captured text.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace dcc {

struct HostSample {
  double load[3] = {-1, -1, -1};
  int runnable = -1;     // processes running now (/proc/loadavg): 3.4's dcc_current_load
  int procs_in_D = -1;   // processes in uninterruptible sleep (state D)
  long max_rss_kb = -1;  // the largest resident process on the machine, and its name "(cc1plus)"
  std::string max_rss_name = "none";
  std::optional<std::uint64_t> disk_sectors;  // sectors read + written on whole disks since boot
  long free_space_mb = -1;                    // available in the temp dir's file system
};

// "0.52 0.58 0.59 3/467 12345" -> load averages and the running count.
bool parse_loadavg(std::string_view text, HostSample& sample);

struct ProcStat {
  std::string name;  // with its parentheses, as 3.4 shows it
  char state = '?';
  long rss_pages = 0;
};
// One /proc/PID/stat line; the name may contain spaces and parentheses.
std::optional<ProcStat> parse_proc_stat(std::string_view text);

// Sum of sectors read and written over the devices of /proc/diskstats that `is_whole_disk`
// accepts (partitions, loop and device-mapper devices would count the same I/O twice).
std::optional<std::uint64_t> sum_disk_sectors(
    std::string_view diskstats, const std::function<bool(const std::string&)>& is_whole_disk);

// Reads /proc and statvfs(temp_dir). Fields that cannot be read keep their "unknown" values.
HostSample probe_host(const std::string& temp_dir);

}  // namespace dcc
