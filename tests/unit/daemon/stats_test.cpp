#include "daemon/stats.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

namespace dcc {
namespace {

using namespace std::chrono_literals;
using Clock = DaemonStats::Clock;

// The "name value" lines between the <distccstats> tags.
std::map<std::string, std::string> fields_of(const std::string& page) {
  std::map<std::string, std::string> fields;
  std::istringstream in(page);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "<distccstats>")
      inside = true;
    else if (line == "</distccstats>")
      inside = false;
    else if (inside) {
      auto space = line.find(' ');
      fields[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
    }
  }
  return fields;
}

JobReport report(JobResult result, std::uint32_t ms = 10, const std::string& compiler = "gcc",
                 const std::string& input = "x.c") {
  JobOutcome outcome;
  outcome.result = result;
  outcome.elapsed = std::chrono::milliseconds(ms);
  outcome.compiler = compiler;
  outcome.input = input;
  return make_job_report(outcome);
}

// Every field distcc 3.4 prints (facts §4.6, and Debian's distccd 3.4 output), in 3.4's order.
const char* const kFields34[] = {
    "dcc_tcp_accept",
    "dcc_rej_bad_req",
    "dcc_rej_overload",
    "dcc_compile_ok",
    "dcc_compile_error",
    "dcc_compile_timeout",
    "dcc_cli_disconnect",
    "dcc_other",
    "dcc_longest_job",
    "dcc_longest_job_compiler",
    "dcc_longest_job_time_msecs",
    "dcc_max_kids",
    "dcc_avg_kids1",
    "dcc_avg_kids2",
    "dcc_avg_kids3",
    "dcc_current_load",
    "dcc_load1",
    "dcc_load2",
    "dcc_load3",
    "dcc_num_compiles1",
    "dcc_num_compiles2",
    "dcc_num_compiles3",
    "dcc_num_procstate_D",
    "dcc_max_RSS",
    "dcc_max_RSS_name",
    "dcc_io_rate",
    "dcc_free_space",
};

TEST(DaemonStats, PageHasThe34LayoutAndFieldNames) {
  DaemonStats stats;
  std::string page = stats.render(Clock::now(), "/usr/bin/distccd", HostSample{});
  EXPECT_EQ(page.rfind("argv /usr/bin/distccd\n<distccstats>\n", 0), 0u) << page;
  EXPECT_EQ(page.substr(page.size() - 15), "</distccstats>\n");
  std::size_t last = 0;
  for (const char* name : kFields34) {
    auto at = page.find(std::string("\n") + name + " ");
    ASSERT_NE(at, std::string::npos) << name << " missing from\n" << page;
    EXPECT_GT(at, last) << name << " out of 3.4's order";
    last = at;
  }
  auto fields = fields_of(page);
  for (const auto& [name, value] : fields) {
    EXPECT_EQ(name.rfind("dcc_", 0), 0u) << name;
    EXPECT_FALSE(value.empty()) << name;
  }
}

TEST(DaemonStats, FreshCountersAreZeroAndLongestJobIsNone) {
  DaemonStats stats;
  auto fields = fields_of(stats.render(Clock::now(), "distccd", HostSample{}));
  for (const char* name : {"dcc_tcp_accept", "dcc_rej_bad_req", "dcc_rej_overload",
                           "dcc_compile_ok", "dcc_compile_error", "dcc_compile_timeout",
                           "dcc_cli_disconnect", "dcc_other", "dcc_longest_job_time_msecs",
                           "dcc_num_compiles1", "dcc_num_compiles2", "dcc_num_compiles3"}) {
    EXPECT_EQ(fields[name], "0") << name;
  }
  EXPECT_EQ(fields["dcc_longest_job"], "none");
  EXPECT_EQ(fields["dcc_longest_job_compiler"], "none");
}

TEST(DaemonStats, CountsEachResultInItsCategory) {
  DaemonStats stats;
  auto now = Clock::now();
  for (int i = 0; i < 5; ++i) stats.connection_accepted(100 + i, now);
  stats.connection_denied();
  stats.record(report(JobResult::compile_ok), now);
  stats.record(report(JobResult::compile_ok), now);
  stats.record(report(JobResult::compile_ok), now);
  stats.record(report(JobResult::compile_error), now);
  stats.record(report(JobResult::compile_timeout), now);
  stats.record(report(JobResult::client_disconnect), now);
  stats.record(report(JobResult::client_disconnect), now);
  stats.record(report(JobResult::bad_request), now);
  stats.record(report(JobResult::refused), now);
  stats.record(report(JobResult::other), now);
  auto fields = fields_of(stats.render(now, "distccd", HostSample{}));
  EXPECT_EQ(fields["dcc_tcp_accept"], "5");
  EXPECT_EQ(fields["dcc_compile_ok"], "3");
  EXPECT_EQ(fields["dcc_compile_error"], "1");
  EXPECT_EQ(fields["dcc_compile_timeout"], "1");
  EXPECT_EQ(fields["dcc_cli_disconnect"], "2");
  EXPECT_EQ(fields["dcc_other"], "1");
  // Bad requests, refused jobs and denied connections are all rejections.
  EXPECT_EQ(fields["dcc_rej_bad_req"], "3");
  EXPECT_EQ(fields["dcc_rej_overload"], "0");
}

TEST(DaemonStats, LongestJobIsTheLongestSuccessfulOne) {
  DaemonStats stats;
  auto now = Clock::now();
  stats.record(report(JobResult::compile_ok, 120, "gcc", "short.c"), now);
  stats.record(report(JobResult::compile_ok, 4500, "x86_64-linux-gnu-g++", "long.cpp"), now);
  stats.record(report(JobResult::compile_ok, 300, "clang", "middle.c"), now);
  stats.record(report(JobResult::compile_error, 9000, "gcc", "failed.c"), now);
  stats.record(report(JobResult::compile_timeout, 99000, "gcc", "hung.c"), now);
  auto fields = fields_of(stats.render(now, "distccd", HostSample{}));
  EXPECT_EQ(fields["dcc_longest_job"], "long.cpp");
  EXPECT_EQ(fields["dcc_longest_job_compiler"], "x86_64-linux-gnu-g++");
  EXPECT_EQ(fields["dcc_longest_job_time_msecs"], "4500");
}

TEST(DaemonStats, RecentCompilesAreCountedOverOneFiveAndFifteenMinutes) {
  DaemonStats stats;
  auto start = Clock::now();
  stats.record(report(JobResult::compile_ok), start);               // 10 min before "now"
  stats.record(report(JobResult::compile_ok), start + 7min);        // 3 min before
  stats.record(report(JobResult::compile_ok), start + 9min + 30s);  // 30 s before
  stats.record(report(JobResult::compile_ok), start + 10min);       // now
  stats.record(report(JobResult::refused), start + 10min);          // refusals are not compiles
  auto fields = fields_of(stats.render(start + 10min, "distccd", HostSample{}));
  EXPECT_EQ(fields["dcc_num_compiles1"], "2");
  EXPECT_EQ(fields["dcc_num_compiles2"], "3");
  EXPECT_EQ(fields["dcc_num_compiles3"], "4");
  auto later = fields_of(stats.render(start + 24min, "distccd", HostSample{}));
  EXPECT_EQ(later["dcc_num_compiles1"], "0");
  EXPECT_EQ(later["dcc_num_compiles2"], "0");
  EXPECT_EQ(later["dcc_num_compiles3"], "2");
}

TEST(DaemonStats, HostFactsAndSlotsAreReportedIn34Format) {
  DaemonStats stats;
  stats.set_slots(8);
  HostSample host;
  host.load[0] = 0.5;
  host.load[1] = 1.25;
  host.load[2] = 12;
  host.runnable = 5;
  host.procs_in_D = 2;
  host.max_rss_kb = 209464;
  host.max_rss_name = "(cc1plus)";
  host.free_space_mb = 80637;
  auto fields = fields_of(stats.render(Clock::now(), "distccd", host));
  EXPECT_EQ(fields["dcc_max_kids"], "8");
  EXPECT_EQ(fields["dcc_current_load"], "5");  // 3.4: running processes of the machine
  EXPECT_EQ(fields["dcc_load1"], "0.50");
  EXPECT_EQ(fields["dcc_load2"], "1.25");
  EXPECT_EQ(fields["dcc_load3"], "12.00");
  EXPECT_EQ(fields["dcc_num_procstate_D"], "2");
  EXPECT_EQ(fields["dcc_max_RSS"], "209464");
  EXPECT_EQ(fields["dcc_max_RSS_name"], "(cc1plus)");
  EXPECT_EQ(fields["dcc_io_rate"], "-1");
  EXPECT_EQ(fields["dcc_free_space"], "80637 MB");
}

TEST(DaemonStats, IoRateIsMeasuredOverAtLeastFiftySeconds) {
  DaemonStats stats;
  auto start = Clock::now();
  stats.note_disk_sectors(1000, start);
  stats.note_disk_sectors(5000, start + 10s);  // too soon: still unknown
  EXPECT_EQ(fields_of(stats.render(start + 10s, "distccd", HostSample{}))["dcc_io_rate"], "-1");
  stats.note_disk_sectors(7000, start + 60s);
  EXPECT_EQ(fields_of(stats.render(start + 60s, "distccd", HostSample{}))["dcc_io_rate"], "100");
  stats.note_disk_sectors(std::nullopt, start + 200s);  // unreadable: the last rate stays
  EXPECT_EQ(fields_of(stats.render(start + 200s, "distccd", HostSample{}))["dcc_io_rate"], "100");
}

TEST(DaemonStats, AverageKidsAreTheTimeAverageOfRunningJobs) {
  auto start = Clock::now();
  DaemonStats stats(start);
  // Two jobs run through the whole last minute, a third for its last 30 s, of a 15-minute uptime.
  stats.connection_accepted(1, start + 14min);
  stats.connection_accepted(2, start + 14min);
  stats.connection_accepted(3, start + 14min + 30s);
  auto fields = fields_of(stats.render(start + 15min, "distccd", HostSample{}));
  EXPECT_EQ(fields["dcc_avg_kids1"], "2");  // 2.5, truncated as 3.4 does
  EXPECT_EQ(fields["dcc_avg_kids2"], "0");  // 2.5 min of 2 and 0.5 min of 1 over 5 min = 0.5
  EXPECT_EQ(fields["dcc_avg_kids3"], "0");
  EXPECT_EQ(stats.running(), 3);
  JobReport done = report(JobResult::compile_ok);
  done.worker = 1;
  stats.record(done, start + 15min);
  EXPECT_EQ(stats.running(), 2);
}

TEST(ConcurrencyHistory, AveragesAStepFunctionExactly) {
  auto start = Clock::now();
  ConcurrencyHistory h(start);
  h.set(4, start + 10s);
  h.set(0, start + 40s);
  EXPECT_DOUBLE_EQ(h.average(60s, start + 60s), 2.0);   // 4 for 30 s of 60 s
  EXPECT_DOUBLE_EQ(h.average(60s, start + 30s), 8.0 / 3.0);  // only 30 s of uptime: 4 for 20 s
  EXPECT_DOUBLE_EQ(h.average(60s, start + 100s), 0.0);  // window 40..100 s: all idle
  h.set(1, start + 20min);
  EXPECT_DOUBLE_EQ(h.average(60s, start + 21min), 1.0);
  EXPECT_DOUBLE_EQ(h.average(900s, start + 20min), 0.0);
}

TEST(DaemonStats, WorkerThatDiesMidJobCountsAsOther) {
  auto now = Clock::now();
  DaemonStats stats(now);
  stats.connection_accepted(42, now);
  stats.worker_gone(7, now);  // idle worker: nothing to count
  EXPECT_EQ(stats.running(), 1);
  stats.worker_gone(42, now);
  EXPECT_EQ(stats.running(), 0);
  auto snap = stats.snapshot(std::nullopt);
  EXPECT_EQ(snap.finished[static_cast<std::size_t>(JobResult::other)], 1u);
  EXPECT_EQ(fields_of(stats.render(now, "distccd", HostSample{}))["dcc_other"], "1");
}

TEST(DaemonStats, SnapshotSplitsRefusalsByReasonAndAddsBytesAndCompileTimes) {
  auto now = Clock::now();
  DaemonStats stats(now);
  stats.set_slots(4);
  stats.connection_denied();
  auto outcome = [](JobResult result, std::uint64_t in, std::uint64_t out) {
    JobOutcome o;
    o.result = result;
    o.bytes_in = in;
    o.bytes_out = out;
    return o;
  };
  JobOutcome ok = outcome(JobResult::compile_ok, 1000, 300);
  ok.compile_time = 1500ms;
  JobOutcome failed = outcome(JobResult::compile_error, 10, 20);
  failed.compile_time = 40ms;
  JobOutcome refused = outcome(JobResult::refused, 5, 0);
  refused.refusal = Refusal::unsafe_argument;
  for (int worker : {1, 2, 3}) stats.connection_accepted(worker, now);
  stats.record(make_job_report(ok, 1), now);
  stats.record(make_job_report(failed, 2), now);
  stats.record(make_job_report(refused, 3), now);
  auto s = stats.snapshot(2);
  EXPECT_EQ(s.jobs_accepted, 3u);
  EXPECT_EQ(s.refused[static_cast<std::size_t>(Refusal::access_denied)], 1u);
  EXPECT_EQ(s.refused[static_cast<std::size_t>(Refusal::unsafe_argument)], 1u);
  EXPECT_EQ(s.finished[static_cast<std::size_t>(JobResult::compile_ok)], 1u);
  EXPECT_EQ(s.finished[static_cast<std::size_t>(JobResult::compile_error)], 1u);
  EXPECT_EQ(s.finished[static_cast<std::size_t>(JobResult::refused)], 0u);
  EXPECT_EQ(s.bytes_received, 1015u);
  EXPECT_EQ(s.bytes_sent, 320u);
  EXPECT_EQ(s.compile_time.count, 2u);
  EXPECT_EQ(s.compile_time.sum_ms, 1540u);
  EXPECT_EQ(s.running, 0);
  EXPECT_EQ(s.slots, 4);
  EXPECT_EQ(s.queued, 2);
}

TEST(JobReport, LongNamesAreCutToFitTheFixedRecord) {
  JobOutcome outcome;
  outcome.result = JobResult::compile_ok;
  outcome.elapsed = 5000ms;
  outcome.compiler = std::string(200, 'c');
  outcome.input = std::string(300, 'i');
  JobReport r = make_job_report(outcome);
  EXPECT_EQ(r.result, static_cast<std::uint8_t>(JobResult::compile_ok));
  EXPECT_EQ(r.elapsed_ms, 5000u);
  EXPECT_EQ(r.compiler[sizeof r.compiler - 1], '\0');
  EXPECT_EQ(r.input[sizeof r.input - 1], '\0');
  DaemonStats stats;
  stats.record(r, Clock::now());
  auto fields = fields_of(stats.render(Clock::now(), "distccd", HostSample{}));
  EXPECT_EQ(fields["dcc_longest_job"], std::string(sizeof r.input - 1, 'i'));
  EXPECT_EQ(fields["dcc_longest_job_compiler"], std::string(sizeof r.compiler - 1, 'c'));
}

TEST(JobReport, FitsOneAtomicPipeWrite) { EXPECT_LE(sizeof(JobReport), 512u); }

}  // namespace
}  // namespace dcc
