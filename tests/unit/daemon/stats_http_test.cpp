#include "daemon/stats_http.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>

#include "common/fd_io.h"
#include "daemon/listener.h"

namespace dcc {
namespace {

using namespace std::chrono_literals;
using Clock = StatsHttpServer::Clock;

// ---- choosing the page

struct PageCase {
  const char* received;
  bool at_end;
  StatsPage page;
};

class ChooseStatsPage : public ::testing::TestWithParam<PageCase> {};

TEST_P(ChooseStatsPage, FromTheBytesSoFar) {
  const PageCase& c = GetParam();
  EXPECT_EQ(choose_stats_page(c.received, c.at_end), c.page)
      << "\"" << c.received << "\" at_end=" << c.at_end;
}

INSTANTIATE_TEST_SUITE_P(
    Requests, ChooseStatsPage,
    ::testing::Values(PageCase{"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", false,
                               StatsPage::metrics},
                      PageCase{"GET /metrics HTTP/1.0\r\n", false, StatsPage::metrics},
                      PageCase{"GET /metrics?name[]=x HTTP/1.1\r\n", false, StatsPage::metrics},
                      PageCase{"GET /metrics ", false, StatsPage::metrics},  // enough to know
                      PageCase{"GET /metrics\r\n", false, StatsPage::metrics},
                      PageCase{"GET /metrics\n", false, StatsPage::metrics},
                      PageCase{"GET /metrics", true, StatsPage::metrics},  // HTTP/0.9, then closed
                      PageCase{"GET /metrics", false, StatsPage::undecided},
                      PageCase{"GET /met", false, StatsPage::undecided},
                      PageCase{"G", false, StatsPage::undecided},
                      PageCase{"", false, StatsPage::undecided},
                      PageCase{"", true, StatsPage::classic},  // a bare connection, closed
                      PageCase{"GET /met", true, StatsPage::classic},
                      PageCase{"GET / HTTP/1.0\r\n\r\n", false, StatsPage::classic},
                      PageCase{"GET / ", false, StatsPage::classic},
                      PageCase{"GET /", false, StatsPage::undecided},
                      PageCase{"GET /metricsx HTTP/1.1\r\n", false, StatsPage::classic},
                      PageCase{"GET /metrics/ HTTP/1.1\r\n", false, StatsPage::classic},
                      PageCase{"POST /metrics HTTP/1.1\r\n", false, StatsPage::classic},
                      PageCase{"get /metrics HTTP/1.1\r\n", false, StatsPage::classic},
                      PageCase{"\x16\x03\x01\x02", false, StatsPage::classic},  // a TLS hello
                      PageCase{"\nGET /metrics HTTP/1.1\r\n", false, StatsPage::classic}));

// ---- the server, over real loopback sockets

class StatsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override { start({*parse_allow_rule("127.0.0.1")}); }

  void start(std::vector<AllowRule> allow, StatsHttpLimits limits = fast_limits()) {
    auto bound = bind_listeners({"127.0.0.1"}, 0);
    ASSERT_TRUE(bound.ok()) << bound.error().message;
    port_ = bound->port;
    server_.emplace(std::move(bound->fds), std::move(allow), log_, limits);
  }

  static StatsHttpLimits fast_limits() {
    StatsHttpLimits l;
    l.first_byte = 100ms;
    l.request = 300ms;
    l.whole = 1000ms;
    l.linger = 200ms;
    l.max_connections = 3;
    return l;
  }

  UniqueFd connect_client() {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }

  // Runs the server's poll loop once (as the daemon parent does); returns how long handle() took.
  Clock::duration pump_once(Clock::duration max_wait = 50ms) {
    std::vector<pollfd> fds;
    server_->add_poll_fds(fds);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(max_wait).count();
    if (auto next = server_->next_deadline()) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
      wait = std::max<long long>(0, std::min<long long>(wait, left));
    }
    ::poll(fds.data(), fds.size(), static_cast<int>(wait));
    auto before = Clock::now();
    server_->handle(fds, Clock::now(), [this](StatsPage page) {
      ++pages_made_;
      return page == StatsPage::metrics ? StatsReply{"text/plain; version=0.0.4", "metrics body\n"}
                                        : StatsReply{"text/plain", "classic body\n"};
    });
    return Clock::now() - before;
  }

  // Pumps the server until `done` or the deadline; the longest handle() call is kept.
  bool pump_until(const std::function<bool()>& done, Clock::duration limit = 3s) {
    auto end = Clock::now() + limit;
    while (Clock::now() < end) {
      longest_handle_ = std::max(longest_handle_, pump_once());
      if (done()) return true;
    }
    return false;
  }

  // Everything the client receives until the server closes (the server is pumped meanwhile).
  std::string reply_of(int fd) {
    EXPECT_TRUE(set_nonblocking(fd).ok());
    std::string got;
    bool closed = false;
    pump_until([&] {
      char buf[4096];
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
      if (n == 0) closed = true;
      return closed;
    });
    EXPECT_TRUE(closed) << "server did not close the connection";
    return got;
  }

  static void send_text(int fd, const std::string& text) {
    ASSERT_EQ(::send(fd, text.data(), text.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(text.size()));
  }

  Logger log_{"distccd", LogLevel::debug, -1};
  std::optional<StatsHttpServer> server_;
  int port_ = 0;
  int pages_made_ = 0;
  Clock::duration longest_handle_{0};
};

TEST_F(StatsHttpTest, MetricsRequestGetsThePrometheusPage) {
  UniqueFd c = connect_client();
  send_text(c.get(), "GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
  std::string reply = reply_of(c.get());
  EXPECT_EQ(reply,
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: 13\r\n"
            "Connection: close\r\n\r\nmetrics body\n");
  c.reset();  // the server lingers until the client closes, then forgets the connection
  EXPECT_TRUE(pump_until([&] { return server_->open_connections() == 0; }, 1s));
}

TEST_F(StatsHttpTest, OtherPathsGetThe34Page) {
  UniqueFd c = connect_client();
  send_text(c.get(), "GET / HTTP/1.0\r\n\r\n");
  std::string reply = reply_of(c.get());
  EXPECT_NE(reply.find("Content-Type: text/plain\r\n"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\r\n\r\nclassic body\n"), std::string::npos) << reply;
}

TEST_F(StatsHttpTest, BareConnectionGetsThe34PageAfterTheFirstByteWait) {
  UniqueFd c = connect_client();
  auto start = Clock::now();
  std::string reply = reply_of(c.get());
  EXPECT_NE(reply.find("classic body"), std::string::npos) << reply;
  EXPECT_GE(Clock::now() - start, 90ms);
  EXPECT_LT(Clock::now() - start, 1000ms);
}

TEST_F(StatsHttpTest, SlowAndSilentClientsNeverBlockTheLoop) {
  // Three clients that stop in the middle of their request line, and one good client after them.
  std::vector<UniqueFd> slow;
  for (int i = 0; i < 2; ++i) {
    slow.push_back(connect_client());
    send_text(slow.back().get(), "GET /met");
  }
  slow.push_back(connect_client());  // silent
  pump_until([&] { return server_->open_connections() == 3; });
  EXPECT_EQ(pages_made_, 0);
  // The good client is served while the slow ones wait (the cap of 3 counts open connections, so
  // one slow one must have been answered first: wait until one is done).
  pump_until([&] { return server_->open_connections() < 3; });
  UniqueFd good = connect_client();
  send_text(good.get(), "GET /metrics HTTP/1.1\r\n\r\n");
  std::string reply = reply_of(good.get());
  EXPECT_NE(reply.find("metrics body"), std::string::npos) << reply;
  for (auto& fd : slow) {
    std::string r = reply_of(fd.get());  // the request deadline passed: 3.4's page
    EXPECT_NE(r.find("classic body"), std::string::npos) << r;
  }
  EXPECT_LT(longest_handle_, 20ms) << "handle() must never wait for a client";
  EXPECT_EQ(server_->open_connections(), 0u);
}

TEST_F(StatsHttpTest, ConnectionsBeyondTheCapAreClosedUnanswered) {
  std::vector<UniqueFd> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(connect_client());
    send_text(open.back().get(), "GET /met");
  }
  pump_until([&] { return server_->open_connections() == 3; });
  UniqueFd extra = connect_client();
  send_text(extra.get(), "GET /metrics HTTP/1.1\r\n\r\n");
  pump_until([&] { return pages_made_ > 0; }, 50ms);
  EXPECT_EQ(pages_made_, 0);
  std::string reply = reply_of(extra.get());
  EXPECT_EQ(reply, "") << "a fourth connection must be closed without a page";
}

TEST_F(StatsHttpTest, ClientsOutsideTheAllowListGetNothing) {
  start({*parse_allow_rule("10.0.0.0/8")});
  UniqueFd c = connect_client();
  send_text(c.get(), "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(reply_of(c.get()), "");
  EXPECT_EQ(pages_made_, 0);
}

TEST_F(StatsHttpTest, ClientThatNeverReadsIsDroppedAtTheDeadline) {
  // A page bigger than the socket buffers, for a client that never reads it.
  auto bound = bind_listeners({"127.0.0.1"}, 0);
  ASSERT_TRUE(bound.ok());
  port_ = bound->port;
  server_.emplace(std::move(bound->fds), std::vector<AllowRule>{*parse_allow_rule("127.0.0.1")},
                  log_, fast_limits());
  UniqueFd c = connect_client();
  int small = 4096;
  ::setsockopt(c.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  send_text(c.get(), "GET / HTTP/1.0\r\n\r\n");
  std::string big(8 << 20, 'x');
  auto start = Clock::now();
  auto end = start + 3s;
  bool made = false;
  while (Clock::now() < end) {
    std::vector<pollfd> fds;
    server_->add_poll_fds(fds);
    ::poll(fds.data(), fds.size(), 20);
    auto before = Clock::now();
    bool made_before = made;
    server_->handle(fds, Clock::now(), [&](StatsPage) {
      made = true;
      return StatsReply{"text/plain", big};
    });
    // Making the page takes what it takes; after that no call may wait for the client.
    if (made_before) {
      EXPECT_LT(Clock::now() - before, 50ms);
    }
    if (server_->open_connections() == 0 && made) break;
  }
  EXPECT_TRUE(made);
  EXPECT_EQ(server_->open_connections(), 0u);
  EXPECT_LT(Clock::now() - start, 2s);
}

}  // namespace
}  // namespace dcc
