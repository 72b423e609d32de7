#include "daemon/stats.h"

#include <cstdlib>
#include <cstring>
#include <sstream>

namespace dcc {

JobReport make_job_report(const JobOutcome& outcome) {
  JobReport report;
  report.result = static_cast<std::uint8_t>(outcome.result);
  report.elapsed_ms = static_cast<std::uint32_t>(outcome.elapsed.count());
  std::strncpy(report.compiler, outcome.compiler.c_str(), sizeof report.compiler - 1);
  std::strncpy(report.input, outcome.input.c_str(), sizeof report.input - 1);
  return report;
}

void DaemonStats::record(const JobReport& report, Clock::time_point now) {
  if (report.result < by_result_.size()) ++by_result_[report.result];
  if (report.elapsed_ms > longest_ms_ && report.result == static_cast<std::uint8_t>(JobResult::compile_ok)) {
    longest_ms_ = report.elapsed_ms;
    longest_file_ = std::string(report.input, strnlen(report.input, sizeof report.input));
    longest_compiler_ = std::string(report.compiler, strnlen(report.compiler, sizeof report.compiler));
  }
  recent_.push_back(now);
  while (!recent_.empty() && now - recent_.front() > std::chrono::minutes(15)) recent_.pop_front();
}

int DaemonStats::completions_within(std::chrono::seconds window, Clock::time_point now) const {
  int n = 0;
  for (auto t : recent_) n += now - t <= window ? 1 : 0;
  return n;
}

std::string DaemonStats::render(Clock::time_point now, const std::string& argv0) const {
  auto count = [&](JobResult r) { return by_result_[static_cast<std::size_t>(r)]; };
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = load[1] = load[2] = 0;
  std::ostringstream out;
  out << "argv " << argv0 << "\n<distccstats>\n"
      << "dcc_tcp_accept " << tcp_accept_ << "\n"
      << "dcc_rej_bad_req " << count(JobResult::bad_request) + count(JobResult::refused) + rej_denied_ << "\n"
      << "dcc_rej_overload 0\n"
      << "dcc_compile_ok " << count(JobResult::compile_ok) << "\n"
      << "dcc_compile_error " << count(JobResult::compile_error) << "\n"
      << "dcc_compile_timeout " << count(JobResult::compile_timeout) << "\n"
      << "dcc_cli_disconnect " << count(JobResult::client_disconnect) << "\n"
      << "dcc_other " << count(JobResult::other) << "\n"
      << "dcc_longest_job " << longest_file_ << "\n"
      << "dcc_longest_job_compiler " << longest_compiler_ << "\n"
      << "dcc_longest_job_time_msecs " << longest_ms_ << "\n"
      << "dcc_max_kids " << max_kids_ << "\n"
      << "dcc_current_load " << running_ << "\n";
  char buf[64];
  for (int i = 0; i < 3; ++i) {
    std::snprintf(buf, sizeof buf, "dcc_load%d %.2f\n", i + 1, load[i]);
    out << buf;
  }
  out << "dcc_num_compiles1 " << completions_within(std::chrono::minutes(1), now) << "\n"
      << "dcc_num_compiles2 " << completions_within(std::chrono::minutes(5), now) << "\n"
      << "dcc_num_compiles3 " << completions_within(std::chrono::minutes(15), now) << "\n"
      << "</distccstats>\n";
  return out.str();
}

}  // namespace dcc
