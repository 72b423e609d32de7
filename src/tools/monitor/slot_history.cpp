#include "tools/monitor/slot_history.h"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace dcc::monitor {
namespace {

bool row_before(const SlotRow& row, const std::string& host, int slot) {
  return std::tie(row.host, row.slot) < std::tie(host, slot);
}

bool all_idle(const std::deque<Sample>& history) {
  return std::none_of(history.begin(), history.end(),
                      [](const Sample& s) { return s.has_value(); });
}

}  // namespace

SlotHistory::SlotHistory(std::size_t capacity) : capacity_(capacity) { assert(capacity > 0); }

SlotRow& SlotHistory::row_for(const std::string& host, int slot) {
  auto at = std::lower_bound(rows_.begin(), rows_.end(), 0,
                             [&](const SlotRow& row, int) { return row_before(row, host, slot); });
  if (at != rows_.end() && at->host == host && at->slot == slot) return *at;
  SlotRow fresh;
  fresh.host = host;
  fresh.slot = slot;
  return *rows_.insert(at, std::move(fresh));
}

void SlotHistory::record(std::span<const MonitorTask> tasks) {
  for (SlotRow& row : rows_) row.current.reset();
  for (const MonitorTask& task : tasks) {
    if (task.phase == Phase::done) continue;
    SlotRow& row = row_for(task.host, task.slot);
    if (!row.current) row.current = task;
  }
  for (SlotRow& row : rows_) {
    row.history.push_back(row.current ? Sample(row.current->phase) : Sample());
    while (row.history.size() > capacity_) row.history.pop_front();
  }
  std::erase_if(rows_, [](const SlotRow& row) { return all_idle(row.history); });
}

}  // namespace dcc::monitor
