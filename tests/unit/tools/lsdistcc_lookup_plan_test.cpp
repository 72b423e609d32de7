#include "tools/lsdistcc/lookup_plan.h"

#include <gtest/gtest.h>

namespace dcc::lsdistcc {
namespace {

using Clock = LookupPlan::Clock;
using std::chrono::milliseconds;
using Indices = std::vector<std::size_t>;

TEST(LsdistccLookupPlan, OverlapBoundsFirstTries) {
  auto t0 = Clock::now();
  LookupPlan plan(500, 1, 0, milliseconds(500));
  EXPECT_EQ(plan.due(t0), (Indices{1, 2}));  // -o1: one extra request in flight
  EXPECT_EQ(plan.due(t0), Indices{});
  EXPECT_TRUE(plan.answer(1, true));
  EXPECT_FALSE(plan.answer(1, true));  // a late duplicate is ignored
  EXPECT_EQ(plan.due(t0), Indices{3});
  LookupPlan wide(10, 3, 0, milliseconds(500));
  EXPECT_EQ(wide.due(t0), (Indices{1, 2, 3, 4}));
}

TEST(LsdistccLookupPlan, StopsAfterGapButFinishesStartedLookups) {
  auto t0 = Clock::now();
  LookupPlan plan(500, 1, 0, milliseconds(500));
  EXPECT_EQ(plan.due(t0), (Indices{1, 2}));
  EXPECT_TRUE(plan.answer(1, true));
  EXPECT_EQ(plan.due(t0), Indices{3});
  EXPECT_TRUE(plan.answer(3, false));  // distcc3 missing: more than -g0 gaps
  EXPECT_EQ(plan.due(t0), Indices{});
  EXPECT_FALSE(plan.finished());  // distcc2 is still being looked up
  EXPECT_TRUE(plan.answer(2, true));
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.not_found(), 1);
}

TEST(LsdistccLookupPlan, GapToleratesMissingNames) {
  auto t0 = Clock::now();
  LookupPlan plan(500, 0, 1, milliseconds(500));
  EXPECT_EQ(plan.due(t0), Indices{1});
  EXPECT_TRUE(plan.answer(1, false));  // one gap allowed with -g1
  EXPECT_EQ(plan.due(t0), Indices{2});
  EXPECT_TRUE(plan.answer(2, true));
  EXPECT_EQ(plan.due(t0), Indices{3});
  EXPECT_TRUE(plan.answer(3, false));
  EXPECT_EQ(plan.due(t0), Indices{});
  EXPECT_TRUE(plan.finished());
}

TEST(LsdistccLookupPlan, HostListLooksUpEveryHost) {
  auto t0 = Clock::now();
  LookupPlan plan(3, 1, std::nullopt, milliseconds(500));
  EXPECT_EQ(plan.due(t0), (Indices{1, 2}));
  EXPECT_TRUE(plan.answer(1, false));
  EXPECT_TRUE(plan.answer(2, false));
  EXPECT_EQ(plan.due(t0), Indices{3});
  EXPECT_TRUE(plan.answer(3, true));
  EXPECT_EQ(plan.due(t0), Indices{});
  EXPECT_TRUE(plan.finished());
}

TEST(LsdistccLookupPlan, RetriesThenGivesUp) {
  auto t0 = Clock::now();
  LookupPlan plan(1, 0, 0, milliseconds(500));
  EXPECT_EQ(plan.due(t0), Indices{1});
  EXPECT_EQ(plan.next_deadline(), t0 + milliseconds(500));
  EXPECT_EQ(plan.due(t0 + milliseconds(499)), Indices{});
  auto t = t0;
  for (int retry = 2; retry <= LookupPlan::kMaxTries; ++retry) {
    t += milliseconds(500);
    EXPECT_EQ(plan.due(t), Indices{1}) << "try " << retry;
  }
  EXPECT_FALSE(plan.finished());
  EXPECT_EQ(plan.due(t + milliseconds(500)), Indices{});
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.not_found(), 1);
}

TEST(LsdistccLookupPlan, RetriedLookupFreesItsOverlapSlot) {
  auto t0 = Clock::now();
  LookupPlan plan(10, 0, 0, milliseconds(500));
  EXPECT_EQ(plan.due(t0), Indices{1});
  // distcc1's first try is overdue: it is resent, and distcc2 may start meanwhile (as in 3.4).
  EXPECT_EQ(plan.due(t0 + milliseconds(501)), (Indices{1, 2}));
}

}  // namespace
}  // namespace dcc::lsdistcc
