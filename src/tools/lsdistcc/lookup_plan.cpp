#include "tools/lsdistcc/lookup_plan.h"

namespace dcc::lsdistcc {

LookupPlan::LookupPlan(std::size_t count, int overlap, std::optional<int> dns_gap,
                       std::chrono::milliseconds retry)
    : entries_(count + 1), last_(count), overlap_(overlap), dns_gap_(dns_gap), retry_(retry) {}

int LookupPlan::first_tries_pending() const {
  int pending = 0;
  for (std::size_t i = 1; i < next_; ++i) {
    if (entries_[i].state == State::looking && entries_[i].tries == 1) ++pending;
  }
  return pending;
}

std::vector<std::size_t> LookupPlan::due(Clock::time_point now) {
  std::vector<std::size_t> start;
  for (std::size_t i = 1; i < next_; ++i) {
    Entry& entry = entries_[i];
    if (entry.state != State::looking || now < entry.deadline) continue;
    if (entry.tries >= kMaxTries) {
      (void)answer(i, false);
      continue;
    }
    ++entry.tries;
    entry.deadline = now + retry_;
    start.push_back(i);
  }
  while (next_ <= last_ && first_tries_pending() <= overlap_) {
    entries_[next_] = Entry{State::looking, 1, now + retry_};
    start.push_back(next_++);
  }
  return start;
}

bool LookupPlan::answer(std::size_t index, bool found) {
  if (index == 0 || index >= entries_.size() || entries_[index].state != State::looking) return false;
  entries_[index].state = State::answered;
  if (!found) {
    ++not_found_;
    if (dns_gap_ && not_found_ > *dns_gap_) give_up_at_gap();
  }
  return true;
}

// Too many names missing: the farm ends here. Lookups already under way still count.
void LookupPlan::give_up_at_gap() { last_ = next_ - 1; }

bool LookupPlan::finished() const {
  if (next_ <= last_) return false;
  for (std::size_t i = 1; i < next_; ++i) {
    if (entries_[i].state == State::looking) return false;
  }
  return true;
}

std::optional<LookupPlan::Clock::time_point> LookupPlan::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (std::size_t i = 1; i < next_; ++i) {
    const Entry& entry = entries_[i];
    if (entry.state == State::looking && (!earliest || entry.deadline < *earliest)) {
      earliest = entry.deadline;
    }
  }
  return earliest;
}

}  // namespace dcc::lsdistcc
