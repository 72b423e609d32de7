#include "daemon/metrics_page.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace dcc {
namespace {

using namespace std::chrono_literals;

struct Family {
  std::string type;
  std::string help;
  std::vector<std::pair<std::string, std::string>> samples;  // "name{labels}" -> value
};

bool is_name_char(char c, bool first, bool colon) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

// Takes a metric (colon allowed) or label name from the front of `s`; "" if there is none.
std::string take_name(std::string_view& s, bool colon) {
  std::size_t n = 0;
  while (n < s.size() && is_name_char(s[n], n == 0, colon)) ++n;
  std::string name(s.substr(0, n));
  s.remove_prefix(n);
  return name;
}

bool is_value(std::string_view v) {
  if (v == "+Inf" || v == "-Inf" || v == "NaN") return true;
  std::string text(v);
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// `{a="x",b="y"}` from the front of `s` (may be absent); false if malformed.
bool take_labels(std::string_view& s, std::string& labels) {
  if (s.empty() || s.front() != '{') return true;
  std::size_t close = s.find('}');
  if (close == std::string_view::npos) return false;
  labels = std::string(s.substr(0, close + 1));
  std::string_view inner = s.substr(1, close - 1);
  s.remove_prefix(close + 1);
  while (!inner.empty()) {
    if (take_name(inner, false).empty() || !inner.starts_with("=\"")) return false;
    inner.remove_prefix(2);
    std::size_t quote = inner.find('"');
    if (quote == std::string_view::npos) return false;
    if (inner.substr(0, quote).find_first_of("\\\n") != std::string_view::npos) return false;
    inner.remove_prefix(quote + 1);
    if (!inner.empty() && inner.front() == ',')
      inner.remove_prefix(1);
    else if (!inner.empty())
      return false;
  }
  return true;
}

// A strict reading of the text exposition format 0.0.4: every sample belongs to the family whose
// HELP and TYPE came just before it, each family appears once, names and labels are well formed.
std::map<std::string, Family> parse_strictly(const std::string& page) {
  static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                               "untyped"};
  std::map<std::string, Family> families;
  std::string current;
  std::istringstream in(page);
  std::string line;
  EXPECT_EQ(page.back(), '\n');
  while (std::getline(in, line)) {
    std::string_view rest = line;
    if (rest.starts_with("# HELP ")) {
      rest.remove_prefix(7);
      std::string name = take_name(rest, true);
      EXPECT_TRUE(!name.empty() && rest.size() > 1 && rest.front() == ' ') << line;
      EXPECT_FALSE(families.contains(name)) << "family " << name << " twice";
      current = name;
      families[current].help = std::string(rest.substr(1));
    } else if (rest.starts_with("# TYPE ")) {
      rest.remove_prefix(7);
      std::string name = take_name(rest, true);
      EXPECT_EQ(name, current) << "TYPE for another family than the HELP before it: " << line;
      EXPECT_TRUE(rest.size() > 1 && kTypes.contains(std::string(rest.substr(1)))) << line;
      families[current].type = std::string(rest.substr(1));
    } else {
      std::string name = take_name(rest, true);
      std::string labels;
      bool ok = !name.empty() && take_labels(rest, labels) && rest.size() > 1 &&
                rest.front() == ' ' && is_value(rest.substr(1));
      if (!ok) {
        ADD_FAILURE() << "not a valid exposition line: \"" << line << "\"";
        continue;
      }
      const std::string& type = families[current].type;
      bool belongs =
          name == current ||
          (type == "histogram" &&
           (name == current + "_bucket" || name == current + "_sum" || name == current + "_count"));
      EXPECT_TRUE(belongs) << "sample " << name << " outside its family (" << current << ")";
      families[current].samples.emplace_back(name + labels, std::string(rest.substr(1)));
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

TEST(StrictChecker, RejectsWhatTheFormatForbids) {
  const std::string family = "# HELP distccd_x_total help\n# TYPE distccd_x_total counter\n";
  EXPECT_NONFATAL_FAILURE(parse_strictly(family + "distccd_x_total{a=\"b} 1\n"), "not a valid");
  EXPECT_NONFATAL_FAILURE(parse_strictly(family + "distccd_x_total 1x\n"), "not a valid");
  EXPECT_NONFATAL_FAILURE(parse_strictly(family + "distccd_y_total 1\n"), "outside its family");
  EXPECT_NONFATAL_FAILURE(parse_strictly(family + family + "distccd_x_total 1\n"), "twice");
  parse_strictly(family + "distccd_x_total{a=\"b\",c=\"\"} 1.5e3\n");  // and accepts the rest
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
