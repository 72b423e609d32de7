#include "client/host_chooser.h"

#include <algorithm>
#include <random>
#include <thread>

#include "client/host_files.h"

namespace dcc {

std::vector<SlotCandidate> slot_search_order(const std::vector<int>& slots_per_host) {
  std::vector<SlotCandidate> order;
  int widest = 0;
  std::size_t total = 0;
  for (int n : slots_per_host) {
    widest = std::max(widest, n);
    total += static_cast<std::size_t>(std::max(n, 0));
  }
  order.reserve(total);
  for (int slot = 0; slot < widest; ++slot) {
    for (std::size_t h = 0; h < slots_per_host.size(); ++h) {
      if (slot < slots_per_host[h]) order.push_back({h, slot});
    }
  }
  return order;
}

std::vector<std::size_t> randomized_order(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

namespace {

// One pass over the candidates; the first slot we can lock wins. Candidates for which `skip`
// says so are passed over. A lock file we cannot even open (unwritable lock dir, full disk) does
// not stop the build: that slot is used unlocked.
std::optional<HostSlot> try_each(const std::vector<SlotCandidate>& order, const std::function<std::string(const SlotCandidate&)>& name_of,
                                 const std::function<const HostSpec*(std::size_t)>& host_of,
                                 const std::function<bool(const SlotCandidate&)>& skip, const SlotWaiting& waiting) {
  for (const auto& candidate : order) {
    if (skip && skip(candidate)) continue;
    HostSlot chosen{host_of(candidate.host_index), candidate.slot, std::nullopt};
    if (waiting.lock_dir.empty()) return chosen;
    auto lock = SlotLock::try_acquire(waiting.lock_dir + "/" + name_of(candidate));
    if (!lock) {
      if (waiting.log) waiting.log->warning(lock.error().message + "; using the slot without a lock");
      return chosen;
    }
    if (*lock) {
      chosen.lock = std::move(*lock);
      return chosen;
    }
  }
  return std::nullopt;
}

// Sleeps between scans when every slot is busy. 3.4 always sleeps DISTCC_PAUSE_TIME_MSEC (1 s),
// so a job waits a whole second for a slot that freed after 10 ms. We start at 10 ms and double
// up to that limit: short waits stay short, and a long wait still costs few scans.
class Pauser {
 public:
  explicit Pauser(const SlotWaiting& waiting) : waiting_(waiting), next_(std::min(Millis{10}, waiting.pause)) {}
  void pause() {
    if (waiting_.state && !announced_) waiting_.state->set_phase(TaskPhase::blocked);
    announced_ = true;
    // 3.4 busy-spins with 0; one millisecond costs nothing and keeps a make -j40 from melting a core.
    std::this_thread::sleep_for(std::max(next_, Millis{1}));
    next_ = std::min(next_ * 2, waiting_.pause);
  }

 private:
  const SlotWaiting& waiting_;
  Millis next_;
  bool announced_ = false;  // the state file says "Blocked" once, not on every scan
};

}  // namespace

HostChooser::HostChooser(const HostList& list, const Backoff& backoff, SlotWaiting waiting, std::uint64_t random_seed)
    : backoff_(backoff), waiting_(std::move(waiting)) {
  for (const auto& host : list.hosts) hosts_.push_back(&host);
  if (list.randomize) {
    auto order = randomized_order(hosts_.size(), random_seed);
    std::vector<const HostSpec*> shuffled;
    for (auto i : order) shuffled.push_back(hosts_[i]);
    hosts_ = std::move(shuffled);
  }
}

std::optional<HostSlot> HostChooser::choose(const std::vector<const HostSpec*>& excluded) {
  std::vector<const HostSpec*> usable;
  for (const HostSpec* host : hosts_) {
    if (host->down || std::find(excluded.begin(), excluded.end(), host) != excluded.end()) continue;
    usable.push_back(host);
  }
  if (usable.empty()) return std::nullopt;
  std::vector<int> limits;
  limits.reserve(usable.size());
  for (const HostSpec* host : usable) limits.push_back(host->slots);
  auto order = slot_search_order(limits);

  // Backoff is looked at lazily, once per host per choice, when the search reaches the host: with
  // free slots near the front of a 100-host list we stat a few backoff files, not 100 (3.4 stats
  // them all for every job). A waiting client does not recheck on every scan either.
  enum class Backoff : char { unknown, usable, backed_off };
  std::vector<Backoff> backoff(usable.size(), Backoff::unknown);
  std::size_t backed_off = 0;
  auto is_backed_off = [&](const SlotCandidate& c) {
    Backoff& known = backoff[c.host_index];
    if (known == Backoff::unknown) {
      known = backoff_.is_backed_off(*usable[c.host_index]) ? Backoff::backed_off : Backoff::usable;
      if (known == Backoff::backed_off) {
        ++backed_off;
        if (waiting_.log) waiting_.log->debug("skipping " + usable[c.host_index]->spec + ": backed off after a recent failure");
      }
    }
    return known == Backoff::backed_off;
  };
  Pauser pauser(waiting_);
  for (;;) {
    auto chosen = try_each(
        order, [&](const SlotCandidate& c) { return slot_lock_name(*usable[c.host_index], c.slot); },
        [&](std::size_t i) { return usable[i]; }, is_backed_off, waiting_);
    if (chosen) return chosen;
    // A whole pass without a slot has looked at every host (each has a slot 0).
    if (backed_off == usable.size()) return std::nullopt;
    pauser.pause();
  }
}

HostSlot acquire_local_slot(int limit, const SlotWaiting& waiting) {
  auto order = slot_search_order({std::max(limit, 1)});
  Pauser pauser(waiting);
  for (;;) {
    auto chosen = try_each(
        order, [](const SlotCandidate& c) { return local_slot_lock_name(c.slot); },
        [](std::size_t) -> const HostSpec* { return nullptr; }, nullptr, waiting);
    if (chosen) return std::move(*chosen);
    pauser.pause();
  }
}

}  // namespace dcc
