// Hand-over from the lookup and probe threads to lsdistcc's main loop. Threads are detached (a
// DNS lookup cannot be interrupted, and the total timeout must not wait for one), so each holds
// the queue through a shared_ptr and it lives as long as the last of them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "common/fd_io.h"
#include "tools/lsdistcc/targets.h"

namespace dcc::lsdistcc {

struct Event {
  enum class Kind { resolved, probed } kind = Kind::resolved;
  std::size_t index = 0;
  std::optional<Ipv4> address;  // resolved: nullopt when the name does not resolve
  bool up = false;              // probed
  std::string why_down;         // probed and not up
  Millis latency{0};            // probed: from the start of connect to the end of the probe
};

class EventQueue {
 public:
  void push(Event event);
  // The next event, or nothing once `until` has passed.
  std::optional<Event> pop_until(std::chrono::steady_clock::time_point until);

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Event> events_;
};

}  // namespace dcc::lsdistcc
