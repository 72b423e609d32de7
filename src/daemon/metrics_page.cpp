#include "daemon/metrics_page.h"

#include <charconv>

namespace dcc {
namespace {

// Shortest exact decimal form ("0.05", "2.5", "300"), as the exposition format accepts.
std::string number(double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, const std::string& name, const std::string& labels,
            const std::string& value) {
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += ' ';
  out += value;
  out += '\n';
}

// The results of jobs that passed every check, with their label values.
struct ResultLabel {
  JobResult result;
  const char* label;
};
constexpr ResultLabel kFinishedResults[] = {
    {JobResult::compile_ok, "ok"},
    {JobResult::compile_error, "compile_error"},
    {JobResult::compile_timeout, "timeout"},
    {JobResult::client_disconnect, "client_gone"},
    {JobResult::other, "other"},
};

void render_histogram(std::string& out, const DurationHistogram& h) {
  const char* name = "distccd_compile_duration_seconds";
  header(out, name, "histogram",
         "How long the compiler ran, for jobs whose compiler ran to its end (results ok, "
         "compile_error, timeout).");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < DurationHistogram::kBounds.size(); ++i) {
    cumulative += h.in_bucket[i];
    sample(out, std::string(name) + "_bucket",
           "le=\"" + number(DurationHistogram::kBounds[i]) + "\"", std::to_string(cumulative));
  }
  sample(out, std::string(name) + "_bucket", "le=\"+Inf\"", std::to_string(h.count));
  sample(out, std::string(name) + "_sum", "", number(static_cast<double>(h.sum_ms) / 1000.0));
  sample(out, std::string(name) + "_count", "", std::to_string(h.count));
}

}  // namespace

void DurationHistogram::observe(std::chrono::milliseconds duration) {
  auto ms = duration.count() < 0 ? 0 : static_cast<std::uint64_t>(duration.count());
  double seconds = static_cast<double>(ms) / 1000.0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) {
      ++in_bucket[i];
      break;
    }
  }
  ++count;
  sum_ms += ms;
}

std::string render_metrics_page(const MetricsSnapshot& s) {
  std::string out;
  header(out, "distccd_jobs_accepted_total", "counter",
         "Connections from allowed clients that a worker took to serve as a compile job.");
  sample(out, "distccd_jobs_accepted_total", "", std::to_string(s.jobs_accepted));

  header(out, "distccd_jobs_refused_total", "counter",
         "Connections and jobs turned away before a compiler ran, by reason (access_denied "
         "connections are not "
         "counted as accepted).");
  for (std::size_t r = 1; r < kRefusalCount; ++r) {
    sample(out, "distccd_jobs_refused_total",
           "reason=\"" + std::string(refusal_name(static_cast<Refusal>(r))) + "\"",
           std::to_string(s.refused[r]));
  }

  header(out, "distccd_jobs_finished_total", "counter",
         "Accepted jobs that passed every check, by result: ok, compile_error (the compiler failed "
         "or crashed), "
         "timeout (--job-lifetime), client_gone, other (failure on the server).");
  for (const auto& [result, label] : kFinishedResults) {
    sample(out, "distccd_jobs_finished_total", "result=\"" + std::string(label) + "\"",
           std::to_string(s.finished[static_cast<std::size_t>(result)]));
  }

  header(out, "distccd_jobs_running", "gauge",
         "Jobs a worker is serving now, from taking the connection to sending the reply.");
  sample(out, "distccd_jobs_running", "", std::to_string(s.running));
  header(out, "distccd_job_slots", "gauge", "Worker processes (-j): the most jobs served at once.");
  sample(out, "distccd_job_slots", "", std::to_string(s.slots));
  if (s.queued) {
    header(out, "distccd_queued_connections", "gauge",
           "Connections to the compile port that the kernel has accepted and that wait in the "
           "listen backlog for "
           "a free worker.");
    sample(out, "distccd_queued_connections", "", std::to_string(*s.queued));
  }

  header(
      out, "distccd_received_bytes_total", "counter",
      "Request bytes read from clients (as sent, compressed or not), counted when each job ends.");
  sample(out, "distccd_received_bytes_total", "", std::to_string(s.bytes_received));
  header(out, "distccd_sent_bytes_total", "counter",
         "Reply bytes sent to clients, counted when each job ends.");
  sample(out, "distccd_sent_bytes_total", "", std::to_string(s.bytes_sent));

  render_histogram(out, s.compile_time);
  return out;
}

}  // namespace dcc
