#include "daemon/stats.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace dcc {
namespace {

using namespace std::chrono_literals;

constexpr auto kHistory = 15min;

std::string field(const char* name, long long value) {
  return std::string(name) + " " + std::to_string(value) + "\n";
}

// 3.4's num_compiles count jobs that used the CPU: finished compiles, failed ones, timeouts and
// those whose client went away.
bool counts_as_compile(JobResult r) {
  return r == JobResult::compile_ok || r == JobResult::compile_error ||
         r == JobResult::compile_timeout || r == JobResult::client_disconnect;
}

}  // namespace

JobReport make_job_report(const JobOutcome& outcome, int worker) {
  JobReport report;
  report.result = static_cast<std::uint8_t>(outcome.result);
  report.refusal = static_cast<std::uint8_t>(outcome.refusal);
  report.worker = worker;
  report.elapsed_ms = static_cast<std::uint32_t>(outcome.elapsed.count());
  if (outcome.compile_time) {
    report.compiled = 1;
    report.compile_ms = static_cast<std::uint32_t>(outcome.compile_time->count());
  }
  report.bytes_in = outcome.bytes_in;
  report.bytes_out = outcome.bytes_out;
  std::strncpy(report.compiler, outcome.compiler.c_str(), sizeof report.compiler - 1);
  std::strncpy(report.input, outcome.input.c_str(), sizeof report.input - 1);
  return report;
}

void ConcurrencyHistory::set(int value, Clock::time_point now) {
  steps_.push_back({now, value});
  // Keep the step in force at the start of the history, drop the older ones.
  while (steps_.size() >= 2 && steps_[1].at <= now - kHistory) steps_.pop_front();
}

double ConcurrencyHistory::average(std::chrono::seconds window, Clock::time_point now) const {
  auto from = std::max(now - window, start_);
  if (now <= from) return 0;
  int value = 0;
  auto at = from;
  Clock::duration integral{0};  // value x time
  for (const Step& step : steps_) {
    if (step.at > now) break;
    if (step.at <= from) {
      value = step.value;
      continue;
    }
    integral += (step.at - at) * value;
    at = step.at;
    value = step.value;
  }
  integral += (now - at) * value;
  return std::chrono::duration<double>(integral).count() /
         std::chrono::duration<double>(now - from).count();
}

void DaemonStats::connection_accepted(int worker, Clock::time_point now) {
  ++tcp_accept_;
  ++counters_.jobs_accepted;
  busy_workers_.insert(worker);
  busy_history_.set(running(), now);
}

void DaemonStats::job_ended(int worker, Clock::time_point now) {
  if (busy_workers_.erase(worker) > 0) busy_history_.set(running(), now);
}

void DaemonStats::record(const JobReport& report, Clock::time_point now) {
  if (report.result >= by_result_.size() || report.refusal >= kRefusalCount)
    return;  // not from our workers
  auto result = static_cast<JobResult>(report.result);
  ++by_result_[report.result];
  if (report.refusal != static_cast<std::uint8_t>(Refusal::none)) {
    ++counters_.refused[report.refusal];
  } else {
    ++counters_.finished[report.result];
  }
  counters_.bytes_received += report.bytes_in;
  counters_.bytes_sent += report.bytes_out;
  if (report.compiled) counters_.compile_time.observe(std::chrono::milliseconds(report.compile_ms));
  if (report.elapsed_ms > longest_ms_ && result == JobResult::compile_ok) {
    longest_ms_ = report.elapsed_ms;
    longest_file_ = std::string(report.input, strnlen(report.input, sizeof report.input));
    longest_compiler_ =
        std::string(report.compiler, strnlen(report.compiler, sizeof report.compiler));
  }
  if (counts_as_compile(result)) recent_.push_back(now);
  while (!recent_.empty() && now - recent_.front() > kHistory) recent_.pop_front();
  job_ended(report.worker, now);
}

void DaemonStats::worker_gone(int worker, Clock::time_point now) {
  if (!busy_workers_.contains(worker)) return;
  ++by_result_[static_cast<std::size_t>(JobResult::other)];
  ++counters_.finished[static_cast<std::size_t>(JobResult::other)];
  job_ended(worker, now);
}

void DaemonStats::note_disk_sectors(std::optional<std::uint64_t> sectors, Clock::time_point now) {
  if (!sectors) return;
  if (!disk_sample_ || *sectors < disk_sample_->second) {
    disk_sample_ = {now, *sectors};
    return;
  }
  auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now - disk_sample_->first).count();
  if (seconds < 50) return;
  io_rate_ =
      static_cast<long>((*sectors - disk_sample_->second) / static_cast<std::uint64_t>(seconds));
  disk_sample_ = {now, *sectors};
}

MetricsSnapshot DaemonStats::snapshot(std::optional<int> queued) const {
  MetricsSnapshot s = counters_;
  s.running = running();
  s.slots = slots_;
  s.queued = queued;
  return s;
}

int DaemonStats::completions_within(std::chrono::seconds window, Clock::time_point now) const {
  int n = 0;
  for (auto t : recent_) n += now - t <= window ? 1 : 0;
  return n;
}

std::string DaemonStats::render(Clock::time_point now, const std::string& argv0,
                                const HostSample& host) const {
  auto count = [&](JobResult r) {
    return static_cast<long long>(by_result_[static_cast<std::size_t>(r)]);
  };
  std::ostringstream out;
  out << "argv " << argv0 << "\n<distccstats>\n"
      << field("dcc_tcp_accept", static_cast<long long>(tcp_accept_))
      << field("dcc_rej_bad_req", count(JobResult::bad_request) + count(JobResult::refused) +
                                      static_cast<long long>(rej_denied_))
      << "dcc_rej_overload 0\n"  // never: clients wait in the listen backlog for a free worker
      << field("dcc_compile_ok", count(JobResult::compile_ok))
      << field("dcc_compile_error", count(JobResult::compile_error))
      << field("dcc_compile_timeout", count(JobResult::compile_timeout))
      << field("dcc_cli_disconnect", count(JobResult::client_disconnect))
      << field("dcc_other", count(JobResult::other)) << "dcc_longest_job " << longest_file_ << "\n"
      << "dcc_longest_job_compiler " << longest_compiler_ << "\n"
      << field("dcc_longest_job_time_msecs", longest_ms_) << field("dcc_max_kids", slots_);
  // 3.4 prints whole numbers here (its integer division truncates too).
  out << field("dcc_avg_kids1", static_cast<long long>(busy_history_.average(1min, now)))
      << field("dcc_avg_kids2", static_cast<long long>(busy_history_.average(5min, now)))
      << field("dcc_avg_kids3", static_cast<long long>(busy_history_.average(15min, now)))
      << field("dcc_current_load", host.runnable);
  char buf[64];
  for (int i = 0; i < 3; ++i) {
    std::snprintf(buf, sizeof buf, "dcc_load%d %.2f\n", i + 1, host.load[i]);
    out << buf;
  }
  out << field("dcc_num_compiles1", completions_within(1min, now))
      << field("dcc_num_compiles2", completions_within(5min, now))
      << field("dcc_num_compiles3", completions_within(15min, now))
      << field("dcc_num_procstate_D", host.procs_in_D) << field("dcc_max_RSS", host.max_rss_kb)
      << "dcc_max_RSS_name " << host.max_rss_name << "\n"
      << field("dcc_io_rate", io_rate_) << "dcc_free_space " << host.free_space_mb << " MB\n"
      << "</distccstats>\n";
  return out.str();
}

}  // namespace dcc
