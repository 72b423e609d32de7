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

// Every field distcc 3.4 prints (facts §4.6) that this implementation emits, in 3.4's order.
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
    "dcc_current_load",
    "dcc_load1",
    "dcc_load2",
    "dcc_load3",
    "dcc_num_compiles1",
    "dcc_num_compiles2",
    "dcc_num_compiles3",
};

TEST(DaemonStats, PageHasThe34LayoutAndFieldNames) {
  DaemonStats stats;
  std::string page = stats.render(Clock::now(), "/usr/bin/distccd");
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
  auto fields = fields_of(stats.render(Clock::now(), "distccd"));
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
  for (int i = 0; i < 5; ++i) stats.connection_accepted();
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
  auto fields = fields_of(stats.render(now, "distccd"));
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
  auto fields = fields_of(stats.render(now, "distccd"));
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
  auto fields = fields_of(stats.render(start + 10min, "distccd"));
  EXPECT_EQ(fields["dcc_num_compiles1"], "2");
  EXPECT_EQ(fields["dcc_num_compiles2"], "3");
  EXPECT_EQ(fields["dcc_num_compiles3"], "4");
  auto later = fields_of(stats.render(start + 24min, "distccd"));
  EXPECT_EQ(later["dcc_num_compiles1"], "0");
  EXPECT_EQ(later["dcc_num_compiles2"], "0");
  EXPECT_EQ(later["dcc_num_compiles3"], "2");
}

TEST(DaemonStats, LoadAndKidsAreReported) {
  DaemonStats stats;
  stats.set_load(3, 8);
  auto fields = fields_of(stats.render(Clock::now(), "distccd"));
  EXPECT_EQ(fields["dcc_max_kids"], "8");
  EXPECT_EQ(fields["dcc_current_load"], "3");
  for (const char* name : {"dcc_load1", "dcc_load2", "dcc_load3"}) {
    const std::string& value = fields[name];
    ASSERT_FALSE(value.empty()) << name;
    char* end = nullptr;
    double load = std::strtod(value.c_str(), &end);
    EXPECT_EQ(*end, '\0') << name << " = " << value;
    EXPECT_GE(load, 0.0);
    EXPECT_EQ(value.size() - value.find('.'), 3u) << name << " has two decimals like 3.4's %.2f";
  }
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
  auto fields = fields_of(stats.render(Clock::now(), "distccd"));
  EXPECT_EQ(fields["dcc_longest_job"], std::string(sizeof r.input - 1, 'i'));
  EXPECT_EQ(fields["dcc_longest_job_compiler"], std::string(sizeof r.compiler - 1, 'c'));
}

TEST(JobReport, FitsOneAtomicPipeWrite) { EXPECT_LE(sizeof(JobReport), 512u); }

}  // namespace
}  // namespace dcc
