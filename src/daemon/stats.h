// Counters behind `distccd --stats`, and their rendering in distcc 3.4's text format.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

#include "daemon/job_runner.h"

namespace dcc {

// What a job's process reports to the daemon parent when it ends (fixed size: one atomic pipe write).
struct JobReport {
  enum Kind : std::uint8_t { finished = 0, accepted = 1, denied = 2 };
  std::uint8_t kind = finished;   // accepted and denied carry no job fields
  std::uint8_t result = 0;        // JobResult
  std::uint32_t elapsed_ms = 0;
  char compiler[64] = {};
  char input[128] = {};
};
JobReport make_job_report(const JobOutcome& outcome);

class DaemonStats {
 public:
  using Clock = std::chrono::steady_clock;

  void connection_accepted() { ++tcp_accept_; }
  void connection_denied() { ++rej_denied_; }
  void record(const JobReport& report, Clock::time_point now);
  void set_load(int running, int max_kids) { running_ = running; max_kids_ = max_kids; }

  // The body of the stats page (3.4 format between <distccstats> tags).
  std::string render(Clock::time_point now, const std::string& argv0) const;

 private:
  int completions_within(std::chrono::seconds window, Clock::time_point now) const;

  std::uint64_t tcp_accept_ = 0, rej_denied_ = 0;
  std::array<std::uint64_t, 7> by_result_{};
  std::uint32_t longest_ms_ = 0;
  std::string longest_file_ = "none", longest_compiler_ = "none";
  int running_ = 0, max_kids_ = 0;
  std::deque<Clock::time_point> recent_;  // completion times within the last 15 minutes
};

}  // namespace dcc
