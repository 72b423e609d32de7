// The Prometheus text-format page (GET /metrics on the --stats port): a pure rendering of a
// snapshot of the daemon's counters, so every line is tested without a daemon.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "daemon/job_runner.h"

namespace dcc {

// Compile durations in fixed buckets (seconds, upper bounds; +Inf is the total count).
struct DurationHistogram {
  static constexpr std::array<double, 12> kBounds = {0.05, 0.1, 0.25, 0.5, 1,   2.5,
                                                     5,    10,  30,   60,  120, 300};
  std::array<std::uint64_t, kBounds.size()> in_bucket{};  // per bucket, not cumulative
  std::uint64_t count = 0;
  std::uint64_t sum_ms = 0;  // milliseconds, so the sum is exact

  void observe(std::chrono::milliseconds duration);
};

struct MetricsSnapshot {
  std::uint64_t jobs_accepted = 0;
  std::array<std::uint64_t, kRefusalCount> refused{};  // by Refusal (none unused)
  std::array<std::uint64_t, kJobResultCount>
      finished{};  // by JobResult (bad_request, refused unused)
  int running = 0;
  int slots = 0;
  std::optional<int> queued;  // unknown where the kernel does not say
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  DurationHistogram compile_time;
};

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4";

std::string render_metrics_page(const MetricsSnapshot& snapshot);

}  // namespace dcc
