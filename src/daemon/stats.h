// Counters behind `distccd --stats`: what the workers report, kept in the daemon parent, and
// rendered in distcc 3.4's text format (the Prometheus page renders a snapshot, metrics_page.h).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>

#include "daemon/host_probe.h"
#include "daemon/job_runner.h"
#include "daemon/metrics_page.h"

namespace dcc {

// What a worker reports to the daemon parent (fixed size, well under PIPE_BUF: one atomic pipe
// write, so reports of concurrent workers never interleave).
struct JobReport {
  enum Kind : std::uint8_t { finished = 0, accepted = 1, denied = 2 };
  std::uint8_t kind = finished;  // accepted and denied carry only `worker`
  std::uint8_t result = 0;       // JobResult
  std::uint8_t refusal = 0;      // Refusal
  std::uint8_t compiled = 0;     // 1: the compiler ran to its end and took compile_ms
  std::int32_t worker = 0;       // the reporting process
  std::uint32_t elapsed_ms = 0;
  std::uint32_t compile_ms = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  char compiler[64] = {};
  char input[128] = {};
};
JobReport make_job_report(const JobOutcome& outcome, int worker = 0);

// The average of a step function (jobs being served) over the last minutes, exactly: the
// changes of the last 15 minutes are kept.
class ConcurrencyHistory {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ConcurrencyHistory(Clock::time_point start) : start_(start) {}
  void set(int value, Clock::time_point now);
  double average(std::chrono::seconds window, Clock::time_point now) const;

 private:
  struct Step {
    Clock::time_point at;
    int value;
  };
  Clock::time_point start_;  // the value was 0 before
  std::deque<Step> steps_;
};

class DaemonStats {
 public:
  using Clock = std::chrono::steady_clock;

  explicit DaemonStats(Clock::time_point start = Clock::now()) : busy_history_(start) {}

  void connection_accepted(int worker, Clock::time_point now);
  void connection_denied() {
    ++rej_denied_;
    ++counters_.refused[static_cast<std::size_t>(Refusal::access_denied)];
  }
  void record(const JobReport& report, Clock::time_point now);
  // A worker ended; a job it was serving (it died mid-job) counts as failed ("other").
  void worker_gone(int worker, Clock::time_point now);
  void set_slots(int slots) { slots_ = slots; }
  // Disk I/O rate as 3.4 measures it: over at least 50 s between samples, -1 before.
  void note_disk_sectors(std::optional<std::uint64_t> sectors, Clock::time_point now);

  int running() const { return static_cast<int>(busy_workers_.size()); }
  MetricsSnapshot snapshot(std::optional<int> queued) const;
  // The body of the stats page (3.4 format between <distccstats> tags).
  std::string render(Clock::time_point now, const std::string& argv0, const HostSample& host) const;

 private:
  int completions_within(std::chrono::seconds window, Clock::time_point now) const;
  void job_ended(int worker, Clock::time_point now);

  MetricsSnapshot counters_;
  std::uint64_t tcp_accept_ = 0, rej_denied_ = 0;
  std::array<std::uint64_t, kJobResultCount> by_result_{};
  std::uint32_t longest_ms_ = 0;
  std::string longest_file_ = "none", longest_compiler_ = "none";
  int slots_ = 0;
  std::set<int> busy_workers_;
  ConcurrencyHistory busy_history_;
  std::deque<Clock::time_point> recent_;  // completion times within the last 15 minutes
  std::optional<std::pair<Clock::time_point, std::uint64_t>> disk_sample_;
  long io_rate_ = -1;
};

}  // namespace dcc
