// The graphical monitor's model, free of GTK so it is unit-tested without a display: one row per
// host and slot that was busy lately, with the job it runs now and the phases of its last
// samples (the coloured strip of distcc 3.4's distccmon-gnome). One sample is taken per refresh.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tools/monitor/task_record.h"

namespace dcc::monitor {

inline constexpr std::size_t kHistoryLength = 200;  // samples per strip, as in 3.4

// What a slot did at one sample: the phase of its job, or nothing (no job, or only a Done one).
using Sample = std::optional<Phase>;

struct SlotRow {
  std::string host;
  int slot = 0;
  std::optional<MonitorTask> current;  // the job shown in the File and State columns
  std::deque<Sample> history;          // oldest first, at most the capacity
};

class SlotHistory {
 public:
  explicit SlotHistory(std::size_t capacity = kHistoryLength);

  // Takes one sample of every slot from one scan of the state directory. Known slots without a
  // job get an idle sample; a slot seen for the first time gets a row; a row whose whole history
  // is idle is dropped, so a slot leaves the window `capacity` samples after its last job.
  // Done jobs count as idle (no monitor of 3.4 shows them). Two jobs on one slot (a client that
  // died between phases next to the one that took over its slot): the first in `tasks`, which is
  // in display order, is shown.
  void record(std::span<const MonitorTask> tasks);

  // Sorted by host name (byte order), then slot: distccmon-text's order.
  const std::vector<SlotRow>& rows() const { return rows_; }
  std::size_t capacity() const { return capacity_; }

 private:
  SlotRow& row_for(const std::string& host, int slot);

  std::size_t capacity_;
  std::vector<SlotRow> rows_;
};

}  // namespace dcc::monitor
