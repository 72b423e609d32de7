#include "tools/monitor/slot_history.h"

#include <gtest/gtest.h>

#include <vector>

namespace dcc::monitor {
namespace {

MonitorTask task(Phase phase, const std::string& file, const std::string& host, int slot,
                 unsigned long pid = 42) {
  MonitorTask t;
  t.pid = pid;
  t.phase = phase;
  t.file = file;
  t.host = host;
  t.slot = slot;
  return t;
}

std::vector<std::string> keys(const SlotHistory& history) {
  std::vector<std::string> out;
  for (const auto& row : history.rows())
    out.push_back(row.host + "[" + std::to_string(row.slot) + "]");
  return out;
}

TEST(SlotHistory, StartsEmpty) {
  SlotHistory history;
  EXPECT_TRUE(history.rows().empty());
  EXPECT_EQ(history.capacity(), kHistoryLength);
  history.record({});
  EXPECT_TRUE(history.rows().empty());
}

TEST(SlotHistory, OneRowPerHostAndSlotSortedByHostThenSlot) {
  SlotHistory history;
  std::vector<MonitorTask> tasks{
      task(Phase::compile, "a.c", "hostb", 1), task(Phase::send, "b.c", "hosta", 2),
      task(Phase::preprocess, "c.c", "hosta", 0), task(Phase::connect, "d.c", "localhost", 0)};
  history.record(tasks);
  EXPECT_EQ(keys(history),
            (std::vector<std::string>{"hosta[0]", "hosta[2]", "hostb[1]", "localhost[0]"}));
  const SlotRow& row = history.rows()[2];
  ASSERT_TRUE(row.current.has_value());
  EXPECT_EQ(row.current->file, "a.c");
  ASSERT_EQ(row.history.size(), 1u);
  EXPECT_EQ(row.history.back(), Sample(Phase::compile));
}

TEST(SlotHistory, EachRecordAddsOneSamplePerRowIdleWhenTheJobIsGone) {
  SlotHistory history;
  std::vector<MonitorTask> busy{task(Phase::preprocess, "a.c", "h", 0)};
  history.record(busy);
  busy[0].phase = Phase::compile;
  history.record(busy);
  history.record({});
  ASSERT_EQ(history.rows().size(), 1u);
  const SlotRow& row = history.rows()[0];
  EXPECT_FALSE(row.current.has_value());
  EXPECT_EQ(row.history, (std::deque<Sample>{Phase::preprocess, Phase::compile, std::nullopt}));
}

TEST(SlotHistory, DoneJobsAreIdleAndMakeNoRow) {
  SlotHistory history;
  std::vector<MonitorTask> done{task(Phase::done, "a.c", "h", 0)};
  history.record(done);
  EXPECT_TRUE(history.rows().empty());
  history.record(std::vector<MonitorTask>{task(Phase::receive, "a.c", "h", 0)});
  history.record(done);
  ASSERT_EQ(history.rows().size(), 1u);
  EXPECT_FALSE(history.rows()[0].current.has_value());
  EXPECT_EQ(history.rows()[0].history.back(), Sample());
}

TEST(SlotHistory, HistoryIsBoundedToTheCapacityKeepingTheNewest) {
  SlotHistory history(3);
  const Phase phases[] = {Phase::connect, Phase::preprocess, Phase::send, Phase::compile,
                          Phase::receive};
  for (Phase phase : phases) history.record(std::vector<MonitorTask>{task(phase, "a.c", "h", 0)});
  ASSERT_EQ(history.rows().size(), 1u);
  EXPECT_EQ(history.rows()[0].history,
            (std::deque<Sample>{Phase::send, Phase::compile, Phase::receive}));
}

TEST(SlotHistory, RowLeavesOnlyWhenItsWholeHistoryIsIdle) {
  SlotHistory history(3);
  history.record(std::vector<MonitorTask>{task(Phase::compile, "a.c", "h", 0)});
  history.record({});
  history.record({});
  EXPECT_EQ(history.rows().size(), 1u) << "one busy sample is still in the strip";
  history.record({});
  EXPECT_TRUE(history.rows().empty());
}

TEST(SlotHistory, FirstJobOfASlotInDisplayOrderIsShown) {
  SlotHistory history;
  history.record(std::vector<MonitorTask>{task(Phase::compile, "first.c", "h", 0, 1),
                                          task(Phase::send, "second.c", "h", 0, 2)});
  ASSERT_EQ(history.rows().size(), 1u);
  EXPECT_EQ(history.rows()[0].current->file, "first.c");
  EXPECT_EQ(history.rows()[0].history.size(), 1u);
}

TEST(SlotHistory, NewSlotsJoinInOrderAndOldOnesKeepTheirHistory) {
  SlotHistory history;
  history.record(std::vector<MonitorTask>{task(Phase::compile, "a.c", "m", 1)});
  history.record(std::vector<MonitorTask>{task(Phase::compile, "a.c", "m", 1),
                                          task(Phase::send, "b.c", "m", 0),
                                          task(Phase::send, "c.c", "z", 0)});
  EXPECT_EQ(keys(history), (std::vector<std::string>{"m[0]", "m[1]", "z[0]"}));
  EXPECT_EQ(history.rows()[1].history.size(), 2u);
  EXPECT_EQ(history.rows()[0].history.size(), 1u);
}

}  // namespace
}  // namespace dcc::monitor
