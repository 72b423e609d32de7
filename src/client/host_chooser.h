// Choosing a host and a slot on it, as distcc 3.4 does (facts §1.9), shared with every other
// distcc process of the user through lock files:
//   for slot = 0, 1, 2, ...: for each usable host in list order with slot < its /N limit:
//     try to lock cpu_<host>_<slot>; the first lock we get is our host.
// So concurrent jobs fill slot 0 of every host, then slot 1, ... (breadth first), and no host
// ever runs more than its /N jobs from this user. When everything is busy we sleep and look
// again: 10 ms first, doubling up to DISTCC_PAUSE_TIME_MSEC. Unlike 3.4, ,down hosts, backed-off
// hosts and hosts that already failed this job are not candidates at all, so a list with no
// usable host means "compile locally" instead of waiting forever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/backoff.h"
#include "client/slot_lock.h"
#include "client/task_state.h"
#include "common/fd_io.h"
#include "common/host_spec.h"
#include "common/logger.h"

namespace dcc {

struct SlotCandidate {
  std::size_t host_index;
  int slot;
};

// Pure: the order in which slots are tried, given each host's limit (breadth first).
std::vector<SlotCandidate> slot_search_order(const std::vector<int>& slots_per_host);

// Pure: a per-process permutation of 0..n-1 for --randomize (seeded with the pid in practice).
std::vector<std::size_t> randomized_order(std::size_t n, std::uint64_t seed);

struct HostSlot {
  const HostSpec* host = nullptr;  // null for the local pools
  int slot = 0;
  std::optional<SlotLock> lock;  // empty when $DISTCC_DIR/lock is unusable
};

struct SlotWaiting {
  std::string lock_dir;  // empty: no locking (warned about once by the caller)
  Millis pause{1000};    // DISTCC_PAUSE_TIME_MSEC
  Logger* log = nullptr;
  TaskStateFile* state = nullptr;  // shows "Blocked" while we wait
};

class HostChooser {
 public:
  HostChooser(const HostList& list, const Backoff& backoff, SlotWaiting waiting, std::uint64_t random_seed);

  // Blocks until a slot is free on a usable host. nullopt when no host is usable: every host
  // is ,down, backed off, or in `excluded` (the hosts that failed this job already).
  std::optional<HostSlot> choose(const std::vector<const HostSpec*>& excluded);

 private:
  std::vector<const HostSpec*> hosts_;  // list order, or shuffled for --randomize
  const Backoff& backoff_;
  SlotWaiting waiting_;
};

// Blocks until one of the first `limit` shared cpu_localhost_<n> slots is ours (--localslots for
// local compiles, --localslots_cpp for local preprocessing).
HostSlot acquire_local_slot(int limit, const SlotWaiting& waiting);

}  // namespace dcc
