#include "tools/monitor/task_record.h"

#include <gtest/gtest.h>

#include <cstring>

#include "task_record_builder.h"

namespace dcc::monitor {
namespace {

using dcc::test::record;

MonitorTask decoded(const std::string& bytes) {
  auto result = decode_task_record(bytes);
  EXPECT_TRUE(std::holds_alternative<MonitorTask>(result));
  return std::holds_alternative<MonitorTask>(result) ? std::get<MonitorTask>(result) : MonitorTask{};
}

RecordProblem problem(const std::string& bytes) {
  auto result = decode_task_record(bytes);
  EXPECT_TRUE(std::holds_alternative<RecordProblem>(result));
  return std::holds_alternative<RecordProblem>(result) ? std::get<RecordProblem>(result) : RecordProblem{};
}

TEST(TaskRecord, LayoutIs34s) {
  if (sizeof(void*) == 8) {
    EXPECT_EQ(kTaskRecordSize, 296u);
  }
  EXPECT_EQ(offsetof(RawTaskRecord, file), 3 * sizeof(unsigned long));
  EXPECT_EQ(offsetof(RawTaskRecord, host), offsetof(RawTaskRecord, file) + 128);
}

TEST(TaskRecord, DecodesEveryField) {
  MonitorTask t = decoded(record(4242, 5, "util.c", "buildbox", 3));
  EXPECT_EQ(t, (MonitorTask{4242, Phase::compile, "util.c", "buildbox", 3}));
}

TEST(TaskRecord, TruncatedEmptyAndOneByteShort) {
  EXPECT_EQ(problem(""), RecordProblem::truncated);
  EXPECT_EQ(problem("DIH"), RecordProblem::truncated);
  std::string full = record(1, 5, "a.c", "h", 0);
  EXPECT_EQ(problem(full.substr(0, full.size() - 1)), RecordProblem::truncated);
}

TEST(TaskRecord, BytesAfterTheRecordAreIgnoredAs34Does) {
  std::string bytes = record(7, 4, "a.c", "h", 1) + std::string(5000, '\xff');
  EXPECT_EQ(decoded(bytes), (MonitorTask{7, Phase::send, "a.c", "h", 1}));
}

TEST(TaskRecord, WrongMagic) {
  std::string bytes = record(1, 5, "a.c", "h", 0);
  bytes[offsetof(RawTaskRecord, magic)] ^= 1;
  EXPECT_EQ(problem(bytes), RecordProblem::wrong_magic);
  EXPECT_EQ(problem(std::string(kTaskRecordSize, '\0')), RecordProblem::wrong_magic);
}

TEST(TaskRecord, WrongStructSize) {
  std::string bytes = record(1, 5, "a.c", "h", 0);
  std::size_t other = kTaskRecordSize + 8;
  std::memcpy(bytes.data(), &other, sizeof other);
  EXPECT_EQ(problem(bytes), RecordProblem::wrong_size);
}

TEST(TaskRecord, MagicIsCheckedBeforeSizeAs34Does) {
  std::string bytes(kTaskRecordSize, 'x');
  EXPECT_EQ(problem(bytes), RecordProblem::wrong_magic);
}

TEST(TaskRecord, NamesWithoutNulLoseTheirLastByte) {
  MonitorTask t = decoded(record(1, 5, std::string(128, 'f'), std::string(128, 'h'), 0));
  EXPECT_EQ(t.file, std::string(127, 'f'));
  EXPECT_EQ(t.host, std::string(127, 'h'));
}

TEST(TaskRecord, NamesStopAtTheFirstNul) {
  MonitorTask t = decoded(record(1, 5, std::string("ab\0cd", 5), std::string("\0host", 5), 0));
  EXPECT_EQ(t.file, "ab");
  EXPECT_EQ(t.host, "");
}

TEST(TaskRecord, PhasesBeyondDoneShowAsCompile) {
  EXPECT_EQ(decoded(record(1, 7, "a.c", "h", 0)).phase, Phase::done);
  EXPECT_EQ(decoded(record(1, 8, "a.c", "h", 0)).phase, Phase::compile);
  EXPECT_EQ(decoded(record(1, 0xffffffffu, "a.c", "h", 0)).phase, Phase::compile);  // -1 on disk
}

TEST(TaskRecord, PhaseNamesAre34s) {
  const char* expected[] = {"Startup", "Blocked", "Connect", "Preprocess", "Send", "Compile", "Receive", "Done"};
  for (unsigned p = 0; p <= 7; ++p) EXPECT_EQ(phase_name(static_cast<Phase>(p)), expected[p]) << p;
}

TEST(TaskRecord, SortsByHostThenSlotKeepingTheOrderOfEquals) {
  std::vector<MonitorTask> tasks = {
      {1, Phase::compile, "a", "hostb", 1}, {2, Phase::send, "b", "hosta", 2},
      {3, Phase::send, "c", "hosta", 0},    {4, Phase::send, "d", "hostc", 1},
      {5, Phase::send, "e", "hostc", 1},    {6, Phase::send, "f", "hostc", 0},
      {7, Phase::send, "g", "Hostz", 9},    {8, Phase::send, "h", "\xc3\xa9t\xc3\xa9", 0},
  };
  sort_for_display(tasks);
  std::vector<unsigned long> order;
  for (const auto& t : tasks) order.push_back(t.pid);
  // Uppercase before lowercase and bytes >= 0x80 last, as strcmp orders them.
  EXPECT_EQ(order, (std::vector<unsigned long>{7, 3, 2, 1, 6, 4, 5, 8}));
}

TEST(TaskRecord, SlotsSortAsSignedNumbers) {
  std::vector<MonitorTask> tasks = {{1, Phase::send, "a", "h", 2}, {2, Phase::send, "b", "h", -5}, {3, Phase::send, "c", "h", 10}};
  sort_for_display(tasks);
  EXPECT_EQ(tasks[0].pid, 2u);
  EXPECT_EQ(tasks[1].pid, 1u);
  EXPECT_EQ(tasks[2].pid, 3u);
}

}  // namespace
}  // namespace dcc::monitor
