#include "daemon/host_probe.h"

#include <gtest/gtest.h>

namespace dcc {
namespace {

TEST(HostProbe, LoadavgGivesTheAveragesAndTheRunningCount) {
  HostSample s;
  ASSERT_TRUE(parse_loadavg("16.99 9.04 5.17 20/163 16434\n", s));
  EXPECT_DOUBLE_EQ(s.load[0], 16.99);
  EXPECT_DOUBLE_EQ(s.load[1], 9.04);
  EXPECT_DOUBLE_EQ(s.load[2], 5.17);
  EXPECT_EQ(s.runnable, 20);
  HostSample bad;
  EXPECT_FALSE(parse_loadavg("", bad));
  EXPECT_FALSE(parse_loadavg("1 2 x 3/4 5", bad));
  EXPECT_EQ(bad.runnable, -1);
  EXPECT_DOUBLE_EQ(bad.load[0], -1);
}

// A real line: comm "(cat)", state R, rss (field 24) 394 pages.
constexpr const char* kCat =
    "16440 (cat) R 16427 16427 9762 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 1963736 3133440 394 "
    "18446744073709551615 94150266908672 94150266928553 140723878745776 0 0 0 0 0 0 0 0 0 17 1 0 0 "
    "0 0 0\n";

TEST(HostProbe, ProcStatGivesNameStateAndResidentPages) {
  auto stat = parse_proc_stat(kCat);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->name, "(cat)");
  EXPECT_EQ(stat->state, 'R');
  EXPECT_EQ(stat->rss_pages, 394);
}

TEST(HostProbe, ProcStatNameMayHoldSpacesAndParentheses) {
  std::string line = kCat;
  line.replace(line.find("(cat)"), 5, "(a) D (b c)");
  auto stat = parse_proc_stat(line);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->name, "(a) D (b c)");
  EXPECT_EQ(stat->state, 'R');
  EXPECT_EQ(stat->rss_pages, 394);
  EXPECT_FALSE(parse_proc_stat(""));
  EXPECT_FALSE(parse_proc_stat("12 (x) R 1 2 3"));
}

TEST(HostProbe, DiskSectorsCountWholeDisksOnly) {
  const char* diskstats =
      "   7       0 loop0 10 0 800 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
      " 253       0 vda 9000 10 400000 100 5000 20 100000 50 0 0 0 0 0 0 0 0 0\n"
      " 253       1 vda1 8000 10 390000 100 4900 20 99000 50 0 0 0 0 0 0 0 0 0\n"
      "   8       0 sda 1 0 1000 0 1 0 2000 0 0 0 0\n";
  auto disks = [](const std::string& name) { return name == "vda" || name == "sda"; };
  EXPECT_EQ(sum_disk_sectors(diskstats, disks),
            std::optional<std::uint64_t>(400000 + 100000 + 1000 + 2000));
  EXPECT_EQ(sum_disk_sectors(diskstats, [](const std::string&) { return false; }), std::nullopt);
  EXPECT_EQ(sum_disk_sectors("garbage\n\n", disks), std::nullopt);
}

TEST(HostProbe, ThisMachineIsProbed) {
  HostSample s = probe_host("/tmp");
  EXPECT_GE(s.runnable, 1);  // this process runs
  EXPECT_GE(s.load[0], 0);
  EXPECT_GE(s.procs_in_D, 0);
  EXPECT_GT(s.max_rss_kb, 0);
  EXPECT_EQ(s.max_rss_name.front(), '(');
  EXPECT_GE(s.free_space_mb, 0);
}

}  // namespace
}  // namespace dcc
