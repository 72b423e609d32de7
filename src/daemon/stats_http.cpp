#include "daemon/stats_http.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/fd_io.h"

namespace dcc {
namespace {

constexpr std::string_view kMetricsRequest = "GET /metrics";
// The page is decided within the first line's first dozen bytes; this only bounds memory.
constexpr std::size_t kMaxRequestBytes = 4096;
// Connections taken per wake-up of one listening socket, so a flood cannot starve the parent.
constexpr int kAcceptsPerWake = 16;

std::string http_response(const StatsReply& reply) {
  return "HTTP/1.0 200 OK\r\nContent-Type: " + reply.content_type +
         "\r\nContent-Length: " + std::to_string(reply.body.size()) +
         "\r\nConnection: close\r\n\r\n" + reply.body;
}

}  // namespace

StatsPage choose_stats_page(std::string_view received, bool at_end) {
  std::size_t line_end = received.find('\n');
  bool line_complete = line_end != std::string_view::npos || at_end;
  std::string_view line = received.substr(0, line_end);
  if (line.size() <= kMetricsRequest.size()) {
    if (!kMetricsRequest.starts_with(line)) return StatsPage::classic;
    if (!line_complete) return StatsPage::undecided;
    return line == kMetricsRequest ? StatsPage::metrics
                                   : StatsPage::classic;  // "GET /metrics" alone: HTTP/0.9
  }
  if (!line.starts_with(kMetricsRequest)) return StatsPage::classic;
  char next = line[kMetricsRequest.size()];
  return next == ' ' || next == '?' || next == '\r' ? StatsPage::metrics : StatsPage::classic;
}

StatsHttpServer::StatsHttpServer(std::vector<UniqueFd> listen_fds, std::vector<AllowRule> allow,
                                 Logger& log, StatsHttpLimits limits)
    : listen_fds_(std::move(listen_fds)), allow_(std::move(allow)), log_(log), limits_(limits) {}

void StatsHttpServer::add_poll_fds(std::vector<pollfd>& fds) const {
  for (const auto& fd : listen_fds_) fds.push_back({fd.get(), POLLIN, 0});
  for (const auto& c : connections_) {
    fds.push_back({c.fd.get(),
                   static_cast<short>(c.phase == Connection::Phase::writing ? POLLOUT : POLLIN),
                   0});
  }
}

std::optional<StatsHttpServer::Clock::time_point> StatsHttpServer::next_deadline() const {
  std::optional<Clock::time_point> first;
  for (const auto& c : connections_) {
    auto d = deadline_of(c);
    if (!first || d < *first) first = d;
  }
  return first;
}

StatsHttpServer::Clock::time_point StatsHttpServer::deadline_of(const Connection& c) const {
  switch (c.phase) {
    case Connection::Phase::reading:
      return c.accepted + (c.received.empty() ? limits_.first_byte : limits_.request);
    case Connection::Phase::writing:
      return c.accepted + limits_.whole;
    case Connection::Phase::lingering:
      return c.linger_until;
  }
  return c.accepted;
}

void StatsHttpServer::handle(std::span<const pollfd> fds, Clock::time_point now,
                             const PageMaker& make_page) {
  auto revents_of = [&](int fd) -> short {
    for (const auto& p : fds) {
      if (p.fd == fd) return p.revents;
    }
    return 0;
  };
  // Connections first: ones accepted below are stepped as they are accepted.
  std::erase_if(connections_,
                [&](Connection& c) { return !step(c, revents_of(c.fd.get()), now, make_page); });
  for (const auto& fd : listen_fds_) {
    if (revents_of(fd.get()) & POLLIN) accept_from(fd.get(), now, make_page);
  }
}

void StatsHttpServer::accept_from(int listen_fd, Clock::time_point now,
                                  const PageMaker& make_page) {
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    UniqueFd conn(::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len,
                            SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!conn) return;
    if (!is_allowed(allow_, peer)) {
      log_.warning("stats request from client " + address_to_string(peer) +
                   " denied by access list");
      continue;
    }
    if (connections_.size() >= limits_.max_connections) {
      log_.warning("stats request from client " + address_to_string(peer) + " dropped: " +
                   std::to_string(limits_.max_connections) + " stats connections are already open");
      continue;
    }
    Connection c;
    c.fd = std::move(conn);
    c.accepted = now;
    // The request has often arrived with the connection: answer it without another poll round.
    if (step(c, POLLIN, now, make_page)) connections_.push_back(std::move(c));
  }
}

void StatsHttpServer::start_reply(Connection& c, StatsPage page, const PageMaker& make_page) {
  c.reply = http_response(make_page(page));
  c.phase = Connection::Phase::writing;
}

bool StatsHttpServer::step(Connection& c, short revents, Clock::time_point now,
                           const PageMaker& make_page) {
  if (c.phase == Connection::Phase::reading) {
    bool at_end = false;
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[kMaxRequestBytes];
      std::size_t room = kMaxRequestBytes - c.received.size();
      ssize_t n = ::read(c.fd.get(), buf, room);
      if (n > 0) c.received.append(buf, static_cast<std::size_t>(n));
      if (n == 0) at_end = true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    }
    StatsPage page = choose_stats_page(c.received, at_end || c.received.size() >= kMaxRequestBytes);
    // A silent client (a bare connection) or one that never finishes its first line gets 3.4's
    // page, which ignores the request anyway.
    if (page == StatsPage::undecided && now >= deadline_of(c)) page = StatsPage::classic;
    if (page == StatsPage::undecided) return true;
    start_reply(c, page, make_page);
    revents = POLLOUT;  // the socket buffer almost always takes the page at once
  }
  if (c.phase == Connection::Phase::writing) {
    if (now >= deadline_of(c)) return false;
    if (!(revents & (POLLOUT | POLLHUP | POLLERR))) return true;
    ssize_t n =
        ::send(c.fd.get(), c.reply.data() + c.written, c.reply.size() - c.written, MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    c.written += static_cast<std::size_t>(n);
    if (c.written < c.reply.size()) return true;
    // Closing with unread request bytes would reset the connection and could cost the client the
    // page: say we are done, then read (and drop) what still comes for a moment.
    ::shutdown(c.fd.get(), SHUT_WR);
    c.phase = Connection::Phase::lingering;
    c.linger_until = now + limits_.linger;
    c.reply.clear();
    return true;
  }
  // Lingering.
  if (now >= c.linger_until) return false;
  if (!(revents & (POLLIN | POLLHUP | POLLERR))) return true;
  char buf[4096];
  ssize_t n = ::read(c.fd.get(), buf, sizeof buf);
  if (n == 0) return false;
  return n > 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

}  // namespace dcc
