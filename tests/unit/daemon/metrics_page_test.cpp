#include "daemon/metrics_page.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace dcc {
namespace {

using namespace std::chrono_literals;

struct Family {
  std::string type;
  std::string help;
  std::vector<std::pair<std::string, std::string>> samples;  // "name{labels}" -> value
};

// A strict reading of the text exposition format 0.0.4: every sample belongs to the family whose
// HELP and TYPE came just before it, each family appears once, names and labels are well formed.
std::map<std::string, Family> parse_strictly(const std::string& page) {
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+))");
  static const std::regex kType(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*")*\})? ([-+]?([0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|Inf|NaN)))");
  std::map<std::string, Family> families;
  std::string current;
  std::istringstream in(page);
  std::string line;
  std::smatch m;
  EXPECT_EQ(page.back(), '\n');
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, kHelp)) {
      EXPECT_FALSE(families.contains(m[1])) << "family " << m[1] << " twice";
      current = m[1];
      families[current].help = m[2];
    } else if (std::regex_match(line, m, kType)) {
      EXPECT_EQ(m[1], current) << "TYPE for another family than the HELP before it: " << line;
      families[current].type = m[2];
    } else if (std::regex_match(line, m, kSample)) {
      std::string name = m[1];
      const std::string& type = families[current].type;
      bool belongs =
          name == current ||
          (type == "histogram" &&
           (name == current + "_bucket" || name == current + "_sum" || name == current + "_count"));
      EXPECT_TRUE(belongs) << "sample " << name << " outside its family (" << current << ")";
      families[current].samples.emplace_back(name + std::string(m[2]), m[4]);
    } else {
      ADD_FAILURE() << "not a valid exposition line: \"" << line << "\"";
    }
  }
  return families;
}

std::string value_of(const Family& family, const std::string& key) {
  for (const auto& [k, v] : family.samples) {
    if (k == key) return v;
  }
  return "(missing " + key + ")";
}

MetricsSnapshot busy_snapshot() {
  MetricsSnapshot s;
  s.jobs_accepted = 12;
  s.refused[static_cast<std::size_t>(Refusal::access_denied)] = 2;
  s.refused[static_cast<std::size_t>(Refusal::compiler_not_allowed)] = 1;
  s.refused[static_cast<std::size_t>(Refusal::unsafe_argument)] = 3;
  s.finished[static_cast<std::size_t>(JobResult::compile_ok)] = 5;
  s.finished[static_cast<std::size_t>(JobResult::compile_error)] = 1;
  s.running = 2;
  s.slots = 4;
  s.queued = 3;
  s.bytes_received = 123456789012ULL;
  s.bytes_sent = 42;
  for (auto d : {30ms, 700ms, 1500ms, 1500ms, 2500ms, 400000ms}) s.compile_time.observe(d);
  return s;
}

TEST(MetricsPage, IsStrictlyValidExpositionFormatWithOurNames) {
  auto families = parse_strictly(render_metrics_page(busy_snapshot()));
  ASSERT_FALSE(families.empty());
  for (const auto& [name, family] : families) {
    EXPECT_EQ(name.rfind("distccd_", 0), 0u) << name;
    EXPECT_FALSE(family.help.empty()) << name;
    EXPECT_FALSE(family.samples.empty()) << name;
    bool is_total = name.size() > 6 && name.substr(name.size() - 6) == "_total";
    EXPECT_EQ(family.type == "counter", is_total) << name << " is a " << family.type;
  }
  for (const char* name :
       {"distccd_jobs_accepted_total", "distccd_jobs_refused_total", "distccd_jobs_finished_total",
        "distccd_jobs_running", "distccd_job_slots", "distccd_queued_connections",
        "distccd_received_bytes_total", "distccd_sent_bytes_total",
        "distccd_compile_duration_seconds"}) {
    EXPECT_TRUE(families.contains(name)) << name;
  }
}

TEST(MetricsPage, CountersAndGaugesCarryTheSnapshot) {
  auto f = parse_strictly(render_metrics_page(busy_snapshot()));
  EXPECT_EQ(value_of(f["distccd_jobs_accepted_total"], "distccd_jobs_accepted_total"), "12");
  const Family& refused = f["distccd_jobs_refused_total"];
  EXPECT_EQ(value_of(refused, R"(distccd_jobs_refused_total{reason="access_denied"})"), "2");
  EXPECT_EQ(value_of(refused, R"(distccd_jobs_refused_total{reason="compiler_not_allowed"})"), "1");
  EXPECT_EQ(value_of(refused, R"(distccd_jobs_refused_total{reason="unsafe_argument"})"), "3");
  EXPECT_EQ(value_of(refused, R"(distccd_jobs_refused_total{reason="protocol_error"})"), "0");
  EXPECT_EQ(refused.samples.size(), kRefusalCount - 1) << "every reason but none, zero or not";
  const Family& finished = f["distccd_jobs_finished_total"];
  EXPECT_EQ(value_of(finished, R"(distccd_jobs_finished_total{result="ok"})"), "5");
  EXPECT_EQ(value_of(finished, R"(distccd_jobs_finished_total{result="compile_error"})"), "1");
  EXPECT_EQ(value_of(finished, R"(distccd_jobs_finished_total{result="timeout"})"), "0");
  EXPECT_EQ(value_of(finished, R"(distccd_jobs_finished_total{result="client_gone"})"), "0");
  EXPECT_EQ(value_of(finished, R"(distccd_jobs_finished_total{result="other"})"), "0");
  EXPECT_EQ(value_of(f["distccd_jobs_running"], "distccd_jobs_running"), "2");
  EXPECT_EQ(value_of(f["distccd_job_slots"], "distccd_job_slots"), "4");
  EXPECT_EQ(value_of(f["distccd_queued_connections"], "distccd_queued_connections"), "3");
  EXPECT_EQ(value_of(f["distccd_received_bytes_total"], "distccd_received_bytes_total"),
            "123456789012");
  EXPECT_EQ(value_of(f["distccd_sent_bytes_total"], "distccd_sent_bytes_total"), "42");
}

TEST(MetricsPage, HistogramIsCumulativeWithSumAndCount) {
  auto f = parse_strictly(render_metrics_page(busy_snapshot()));
  const Family& h = f["distccd_compile_duration_seconds"];
  EXPECT_EQ(h.type, "histogram");
  const std::string b = "distccd_compile_duration_seconds_bucket";
  EXPECT_EQ(value_of(h, b + R"({le="0.05"})"), "1");  // 30 ms
  EXPECT_EQ(value_of(h, b + R"({le="0.5"})"), "1");
  EXPECT_EQ(value_of(h, b + R"({le="1"})"), "2");    // + 700 ms
  EXPECT_EQ(value_of(h, b + R"({le="2.5"})"), "5");  // + 1.5 s twice and 2.5 s (le is inclusive)
  EXPECT_EQ(value_of(h, b + R"({le="300"})"), "5");
  EXPECT_EQ(value_of(h, b + R"({le="+Inf"})"), "6");  // 400 s is beyond every bound
  EXPECT_EQ(value_of(h, "distccd_compile_duration_seconds_sum"), "406.23");
  EXPECT_EQ(value_of(h, "distccd_compile_duration_seconds_count"), "6");
  // Buckets never decrease and end at the count.
  long previous = 0;
  std::size_t buckets = 0;
  for (const auto& [key, value] : h.samples) {
    if (key.rfind(b, 0) != 0) continue;
    ++buckets;
    long v = std::stol(value);
    EXPECT_GE(v, previous) << key;
    previous = v;
  }
  EXPECT_EQ(buckets, DurationHistogram::kBounds.size() + 1);
}

TEST(MetricsPage, QueueIsLeftOutWhenUnknown) {
  MetricsSnapshot s;
  std::string page = render_metrics_page(s);
  EXPECT_EQ(page.find("distccd_queued_connections"), std::string::npos);
  auto f = parse_strictly(page);
  EXPECT_EQ(value_of(f["distccd_compile_duration_seconds"], "distccd_compile_duration_seconds_sum"),
            "0");
}

}  // namespace
}  // namespace dcc
