// The --stats port, served from the daemon parent without ever blocking it: every connection is a
// small non-blocking state machine in the parent's poll loop with its own deadlines, the request
// is read only as far as needed to choose the page, and there is a cap on open connections. A
// slow, silent or garbage-sending client costs a few bytes of memory until its deadline.
#pragma once

#include <poll.h>

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/logger.h"
#include "common/unique_fd.h"
#include "daemon/access_rules.h"

namespace dcc {

enum class StatsPage { undecided, classic, metrics };

// Which page a request asks for, from the bytes received so far. `GET /metrics` (with a query, or
// any HTTP version) is the Prometheus page; anything else, garbage and an empty request included,
// is 3.4's page (3.4 ignores the request). Undecided while the bytes could still become
// "GET /metrics " and the client has not finished sending.
StatsPage choose_stats_page(std::string_view received, bool at_end);

struct StatsReply {
  std::string content_type;
  std::string body;
};

struct StatsHttpLimits {
  std::chrono::milliseconds first_byte{200};  // a client silent this long gets 3.4's page
  std::chrono::milliseconds request{2000};    // deciding the page never takes longer
  std::chrono::milliseconds whole{5000};      // the reply must be taken by then
  std::chrono::milliseconds linger{1000};  // reading what the client still sends, after the reply
  std::size_t max_connections = 32;
};

class StatsHttpServer {
 public:
  using Clock = std::chrono::steady_clock;
  using PageMaker = std::function<StatsReply(StatsPage)>;

  StatsHttpServer(std::vector<UniqueFd> listen_fds, std::vector<AllowRule> allow, Logger& log,
                  StatsHttpLimits limits = {});

  // Appends the descriptors to poll (listening sockets, then connections).
  void add_poll_fds(std::vector<pollfd>& fds) const;
  // Handles what poll reported for those descriptors and every passed deadline.
  void handle(std::span<const pollfd> fds, Clock::time_point now, const PageMaker& make_page);
  std::optional<Clock::time_point> next_deadline() const;
  std::size_t open_connections() const { return connections_.size(); }

 private:
  struct Connection {
    enum class Phase { reading, writing, lingering };
    UniqueFd fd;
    Phase phase = Phase::reading;
    Clock::time_point accepted;
    std::string received;
    std::string reply;
    std::size_t written = 0;
    Clock::time_point linger_until;
  };

  void accept_from(int listen_fd, Clock::time_point now, const PageMaker& make_page);
  // Advances one connection; false when it is done and must be closed.
  bool step(Connection& c, short revents, Clock::time_point now, const PageMaker& make_page);
  void start_reply(Connection& c, StatsPage page, const PageMaker& make_page);
  Clock::time_point deadline_of(const Connection& c) const;

  std::vector<UniqueFd> listen_fds_;
  std::vector<AllowRule> allow_;
  Logger& log_;
  StatsHttpLimits limits_;
  std::vector<Connection> connections_;
};

}  // namespace dcc
