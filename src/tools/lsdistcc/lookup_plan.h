// Which DNS lookups to start when: distcc 3.4's rules for walking distcc1, distcc2, ... Pure:
// the caller does the lookups and passes the time in.
//
//  * At most overlap+1 names are being looked up for the first time at once (-o, "extra DNS
//    requests"); a lookup that is being retried no longer counts, so the walk goes on meanwhile.
//  * A lookup without an answer after `retry` (-h) is started again, at most kMaxTries times in
//    all; once the last try's time is up too, the name counts as not found.
//  * When more than `dns_gap` names were not found (-g), no further names are started; those
//    already started are still answered. With a host list (no gap limit) every host is looked up.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace dcc::lsdistcc {

class LookupPlan {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxTries = 5;  // as 3.4

  // `count` names, indices 1..count. dns_gap nullopt: never stop early.
  LookupPlan(std::size_t count, int overlap, std::optional<int> dns_gap,
             std::chrono::milliseconds retry);

  // Indices whose lookup is to be started (again) now. Also turns lookups whose last try has
  // run out into "not found".
  std::vector<std::size_t> due(Clock::time_point now);
  // An answer for `index`; false if it is not waited for (already answered), to be ignored.
  bool answer(std::size_t index, bool found);
  // Whether an answer for `index` is still waited for.
  bool pending(std::size_t index) const {
    return index > 0 && index < entries_.size() && entries_[index].state == State::looking;
  }
  // Nothing being looked up and nothing left to start.
  bool finished() const;
  // When due() next has something to do for a pending lookup.
  std::optional<Clock::time_point> next_deadline() const;
  // Names that were not found so far (including those that ran out of tries).
  int not_found() const { return not_found_; }

 private:
  enum class State { waiting, looking, answered };
  struct Entry {
    State state = State::waiting;
    int tries = 0;
    Clock::time_point deadline{};
  };
  void give_up_at_gap();
  int first_tries_pending() const;

  std::vector<Entry> entries_;  // entries_[0] unused, indices from 1 as 3.4 counts
  std::size_t next_ = 1;        // next index never started
  std::size_t last_ = 0;        // highest index that may be started
  int overlap_;
  std::optional<int> dns_gap_;
  std::chrono::milliseconds retry_;
  int not_found_ = 0;
};

}  // namespace dcc::lsdistcc
