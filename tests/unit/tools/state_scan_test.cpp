#include "tools/monitor/state_scan.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <set>

#include "../test_support.h"

#include "task_record_builder.h"

namespace dcc::monitor {
namespace {

using dcc::test::record;

class StateScanTest : public testing::Test {
 protected:
  void write(const std::string& name, const std::string& bytes) { test::spit(dir_.file(name), bytes); }
  void age(const std::string& name, std::time_t seconds_before_now) {
    struct timeval times[2] = {{now_ - seconds_before_now, 0}, {now_ - seconds_before_now, 0}};
    ASSERT_EQ(::utimes(dir_.file(name).c_str(), times), 0);
  }
  StateScan scan() {
    auto result = scan_state_dir(dir_.path(), now_, [this](unsigned long pid) { return alive_.count(pid) > 0; });
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? *result : StateScan{};
  }

  test::ScratchDir dir_{"state_scan"};
  std::time_t now_ = std::time(nullptr);
  std::set<unsigned long> alive_ = {100, 101, 102};
};

TEST_F(StateScanTest, ReadsOnlyBinstateFilesSorted) {
  write("binstate_100", record(100, Phase::compile, "a.c", "hostb", 0));
  write("binstate_101", record(101, Phase::send, "b.c", "hosta", 1));
  write("tmp_binstate_102", record(102, Phase::send, "c.c", "hosta", 0));  // a client's temp name
  write("hosts", "whatever");
  auto s = scan();
  ASSERT_EQ(s.tasks.size(), 2u);
  EXPECT_EQ(s.tasks[0].file, "b.c");
  EXPECT_EQ(s.tasks[1].file, "a.c");
  EXPECT_TRUE(s.warnings.empty());
}

TEST_F(StateScanTest, DeadProcessesAreDroppedButDoneJobsKept) {
  write("binstate_1", record(555, Phase::compile, "dead.c", "h", 0));
  write("binstate_2", record(556, Phase::done, "done.c", "h", 0));
  auto s = scan();
  ASSERT_EQ(s.tasks.size(), 1u);
  EXPECT_EQ(s.tasks[0].file, "done.c");
  EXPECT_EQ(dir_.entries().size(), 2u) << "a dead client's file is left alone until it is stale";
}

TEST_F(StateScanTest, FilesOlderThanAMinuteAreDeleted) {
  write("binstate_100", record(100, Phase::compile, "old.c", "h", 0));
  write("binstate_101", record(101, Phase::compile, "edge.c", "h", 0));
  write("binstate_junk", "garbage");
  write("other_file", "kept");
  age("binstate_100", 61);
  age("binstate_101", 60);  // 3.4 deletes only when older than 60 s
  age("binstate_junk", 3600);
  age("other_file", 3600);
  auto s = scan();
  ASSERT_EQ(s.tasks.size(), 1u);
  EXPECT_EQ(s.tasks[0].file, "edge.c");
  EXPECT_EQ(dir_.entries(), (std::vector<std::string>{"binstate_101", "other_file"}));
}

TEST_F(StateScanTest, BadRecordsAreSkippedWithWarningsOnlyForMagicAndSize) {
  std::string wrong_magic = record(100, Phase::send, "m.c", "h", 0);
  wrong_magic[sizeof(std::size_t)] ^= 0x55;
  std::string wrong_size = record(100, Phase::send, "s.c", "h", 0);
  wrong_size[0] ^= 0x01;
  write("binstate_magic", wrong_magic);
  write("binstate_size", wrong_size);
  write("binstate_short", record(100, Phase::send, "t.c", "h", 0).substr(0, 100));
  write("binstate_empty", "");
  write("binstate_ok", record(100, Phase::send, "ok.c", "h", 0));
  auto s = scan();
  ASSERT_EQ(s.tasks.size(), 1u);
  EXPECT_EQ(s.tasks[0].file, "ok.c");
  ASSERT_EQ(s.warnings.size(), 2u);
  std::string all = s.warnings[0] + "\n" + s.warnings[1];
  EXPECT_NE(all.find("wrong magic number: " + dir_.file("binstate_magic")), std::string::npos) << all;
  EXPECT_NE(all.find("wrong structure size: version mismatch?: " + dir_.file("binstate_size")), std::string::npos) << all;
}

TEST_F(StateScanTest, HugeFileIsReadOnlyOneRecordDeep) {
  write("binstate_big", record(100, Phase::receive, "big.c", "h", 0) + std::string(1 << 20, 'z'));
  auto s = scan();
  ASSERT_EQ(s.tasks.size(), 1u);
  EXPECT_EQ(s.tasks[0].phase, Phase::receive);
}

TEST_F(StateScanTest, FifosAndDirectoriesAreSkippedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(dir_.file("binstate_fifo").c_str(), 0600), 0);
  ASSERT_EQ(::mkdir(dir_.file("binstate_dir").c_str(), 0700), 0);
  ASSERT_EQ(::symlink("/dev/zero", dir_.file("binstate_zero").c_str()), 0);
  auto s = scan();
  EXPECT_TRUE(s.tasks.empty());
}

TEST_F(StateScanTest, MissingDirectoryIsAnEmptyListAndIsNotCreated) {
  std::string missing = dir_.file("no/such/state");
  auto result = scan_state_dir(missing, now_, [](unsigned long) { return true; });
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->tasks.empty());
  EXPECT_NE(::access(dir_.file("no").c_str(), F_OK), 0);
}

TEST_F(StateScanTest, UnreadableDirectoryIsIoError) {
  write("file", "x");
  auto result = scan_state_dir(dir_.file("file"), now_, [](unsigned long) { return true; });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ExitCode::io_error);
  EXPECT_NE(result.error().message.find(dir_.file("file")), std::string::npos);
}

TEST(ProcessExists, ThisProcessYesImpossiblePidsNo) {
  EXPECT_TRUE(process_exists(static_cast<unsigned long>(::getpid())));
  EXPECT_FALSE(process_exists(0));  // kill(0, 0) would mean "my process group"
  EXPECT_FALSE(process_exists(0xffffffffUL));  // and this kill(-1, 0)
  EXPECT_FALSE(process_exists(1UL << 40));
}

}  // namespace
}  // namespace dcc::monitor
