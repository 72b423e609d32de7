#include "tools/lsdistcc/scan.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <ostream>
#include <thread>

#include "tools/lsdistcc/event_queue.h"
#include "tools/lsdistcc/lookup_plan.h"
#include "tools/lsdistcc/probe.h"
#include "tools/lsdistcc/resolver.h"

namespace dcc::lsdistcc {
namespace {

using Clock = std::chrono::steady_clock;

// Enough parallel probes for any farm answering within the timeouts, few enough threads for any
// machine.
constexpr int kMaxParallelProbes = 64;

class Scan {
 public:
  Scan(const Options& options, TargetSource source, std::string domain, std::ostream& out,
       std::ostream& err)
      : options_(options),
        source_(std::move(source)),
        domain_(std::move(domain)),
        plan_(source_.count(), options.overlap,
              source_.format ? std::optional<int>(options.dns_gap) : std::nullopt,
              options.dns_retry),
        hosts_(source_.count() + 1),
        out_(out),
        err_(err) {}

  int run();

 private:
  struct Host {
    Target target;
    Ipv4 address{};
  };

  void start_lookup(std::size_t index);
  void start_probes();
  void handle(const Event& event);
  void resolved(std::size_t index, std::optional<Ipv4> address);
  void probed(const Event& event);
  bool done() const { return plan_.finished() && running_ == 0 && ready_.empty(); }

  const Options& options_;
  TargetSource source_;
  std::string domain_;
  LookupPlan plan_;
  std::vector<Host> hosts_;  // by index from 1
  std::shared_ptr<EventQueue> queue_ = std::make_shared<EventQueue>();
  std::deque<std::size_t> ready_;  // resolved, waiting for a probe slot
  int running_ = 0;
  std::optional<Ipv4> first_address_;  // -m compares every later host with this one
  int up_ = 0;
  std::ostream& out_;
  std::ostream& err_;
};

int Scan::run() {
  auto end = options_.total_timeout.count() > 0 ? Clock::now() + options_.total_timeout
                                                : Clock::time_point::max();
  while (true) {
    auto now = Clock::now();
    if (now >= end) {
      if (options_.verbose > 0) err_ << "lsdistcc: time limit reached, stopping\n";
      break;
    }
    for (std::size_t index : plan_.due(now)) start_lookup(index);
    start_probes();
    if (done()) break;
    auto wake = std::min(end, plan_.next_deadline().value_or(Clock::time_point::max()));
    if (auto event = queue_->pop_until(wake)) handle(*event);
  }
  return up_ > 0 ? 0 : 1;
}

void Scan::start_lookup(std::size_t index) {
  Host& host = hosts_[index];
  if (host.target.host.empty()) host.target = target_at(source_, index, options_, domain_);
  if (options_.verbose > 0) err_ << "lsdistcc: looking up " << host.target.host << "\n";
  std::thread([queue = queue_, index, name = host.target.host] {
    queue->push(Event{Event::Kind::resolved, index, resolve_ipv4(name), false, {}, Millis(0)});
  }).detach();
}

void Scan::start_probes() {
  while (!ready_.empty() && running_ < kMaxParallelProbes) {
    std::size_t index = ready_.front();
    ready_.pop_front();
    const Host& host = hosts_[index];
    ProbeSettings settings{host.target.port, options_.connect_timeout, options_.compile_timeout,
                           options_.compiler, options_.protocol};
    if (options_.verbose > 0) err_ << "lsdistcc: probing " << host.target.host << "\n";
    ++running_;
    std::thread([queue = queue_, index, ip = dotted(host.address), settings] {
      auto start = Clock::now();
      Status status = probe_host(ip, settings);
      auto latency = std::chrono::duration_cast<Millis>(Clock::now() - start);
      queue->push(Event{Event::Kind::probed, index, std::nullopt, status.ok(),
                        status.ok() ? std::string() : status.error().message, latency});
    }).detach();
  }
}

void Scan::handle(const Event& event) {
  if (event.kind == Event::Kind::resolved) {
    resolved(event.index, event.address);
  } else {
    probed(event);
  }
}

void Scan::resolved(std::size_t index, std::optional<Ipv4> address) {
  if (!plan_.pending(index)) return;  // a retry answered first
  const std::string& name = hosts_[index].target.host;
  if (address && options_.match_bits > 0) {
    if (!first_address_) {
      first_address_ = address;
    } else if (!same_network(*first_address_, *address, options_.match_bits)) {
      if (options_.verbose > 0) {
        err_ << "lsdistcc: " << name << " (" << dotted(*address) << ") is outside the first "
             << options_.match_bits << " bits of " << dotted(*first_address_) << "\n";
      }
      address.reset();  // another network counts as a missing name, as in 3.4
    }
  }
  (void)plan_.answer(index, address.has_value());
  if (!address) {
    if (options_.verbose > 0) err_ << "lsdistcc: " << name << " not found\n";
    return;
  }
  hosts_[index].address = *address;
  ready_.push_back(index);
}

void Scan::probed(const Event& event) {
  --running_;
  const Host& host = hosts_[event.index];
  if (!event.up && options_.verbose > 0) {
    err_ << "lsdistcc: " << host.target.host << " is down: " << event.why_down << "\n";
  }
  if (event.up) ++up_;
  bool connected = options_.connect_timeout.count() > 0;
  Outcome outcome{event.up, host.address, connected ? std::optional(event.latency) : std::nullopt};
  if (auto line = format_line(host.target, outcome, options_)) out_ << *line << std::endl;
}

}  // namespace

int scan(const Options& options, const std::string& domain, std::ostream& out, std::ostream& err) {
  auto source = target_source(options, domain);
  if (!source) {
    err << "lsdistcc: " << source.error().message << "\n";
    return 1;
  }
  return Scan(options, std::move(*source), domain, out, err).run();
}

}  // namespace dcc::lsdistcc
