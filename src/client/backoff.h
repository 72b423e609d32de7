// Backoff after a host failed: distcc 3.4's timefiles. Disliking a host touches
// $DISTCC_DIR/lock/backoff_<host>_0; for DISTCC_BACKOFF_PERIOD seconds after that no distcc
// process (ours or 3.4's) picks the host. A successful job on the host removes the file.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string>

#include "common/host_spec.h"

namespace dcc {

// Pure rule: a host disliked at `marked` is skipped at `now` for `period`. A mark from the
// future (clock changed) counts only for one period ahead, so it cannot ban a host forever.
bool is_within_backoff(std::time_t marked, std::time_t now, std::chrono::seconds period);

class Backoff {
 public:
  // An empty lock_dir (unusable $DISTCC_DIR) or a zero period disables the files; failures
  // are then only remembered by the job that saw them.
  Backoff(std::string lock_dir, std::chrono::seconds period) : lock_dir_(std::move(lock_dir)), period_(period) {}

  bool enabled() const { return !lock_dir_.empty() && period_.count() > 0; }
  bool is_backed_off(const HostSpec& host) const;
  void dislike(const HostSpec& host) const;
  void enjoy(const HostSpec& host) const;

 private:
  std::string path_of(const HostSpec& host) const;
  std::string lock_dir_;
  std::chrono::seconds period_;
};

}  // namespace dcc
