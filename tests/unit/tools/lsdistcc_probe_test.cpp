#include "tools/lsdistcc/probe.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <thread>

#include "common/lzo_codec.h"
#include "common/unique_fd.h"

namespace dcc::lsdistcc {
namespace {

TEST(LsdistccProbe, CannedRequestProtocol1IsThe34Bytes) {
  auto request = canned_request("gcc", 1);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(*request,
            "DIST00000001ARGC00000005ARGV00000003gccARGV00000002-cARGV00000007hello.c"
            "ARGV00000002-oARGV00000007hello.oDOTI00000014int foo(){return 0;}");
}

TEST(LsdistccProbe, CannedRequestProtocols2And3CompressTheSource) {
  auto lzo = lzo_compress("int foo(){return 0;}");
  ASSERT_TRUE(lzo.ok());
  char length[9];
  std::snprintf(length, sizeof length, "%08zx", lzo->size());
  auto v2 = canned_request("cc", 2);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(*v2, "DIST00000002ARGC00000005ARGV00000002ccARGV00000002-cARGV00000007hello.c"
                 "ARGV00000002-oARGV00000007hello.oDOTI" + std::string(length) + *lzo);
  auto v3 = canned_request("cc", 3);
  ASSERT_TRUE(v3.ok());
  EXPECT_EQ(*v3, "DIST00000003CDIR00000001/ARGC00000005ARGV00000002ccARGV00000002-c"
                 "ARGV00000007hello.cARGV00000002-oARGV00000007hello.o"
                 "NFIL00000001NAME00000008/hello.cFILE" + std::string(length) + *lzo);
}

TEST(LsdistccProbe, JudgeReply) {
  CompileReply ok;
  ok.object = "\x7f" "ELF...";
  EXPECT_TRUE(judge_reply(ok).ok());
  CompileReply empty;
  EXPECT_FALSE(judge_reply(empty).ok());
  CompileReply failed;
  failed.wait_status = 1 << 8;
  failed.stderr_text = "cc: error: no such compiler\nmore";
  Status status = judge_reply(failed);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("00000100"), std::string::npos);
  EXPECT_NE(status.error().message.find("no such compiler"), std::string::npos);
  EXPECT_EQ(status.error().message.find("more"), std::string::npos);
}

// A loopback listener on an ephemeral port.
struct Listener {
  UniqueFd fd;
  int port = 0;
  Listener() : fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(::listen(fd.get(), 4), 0);
    EXPECT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
    port = ntohs(address.sin_port);
  }
};

// Serves one canned job with `reply` (protocol 1), checking the request on the way.
std::thread serve_one(int listen_fd, CompileReply reply) {
  return std::thread([listen_fd, reply] {
    UniqueFd client(::accept(listen_fd, nullptr, nullptr));
    ProtocolReader in(client.get(), Millis(2000));
    auto version = receive_request_version(in);
    ASSERT_TRUE(version.ok());
    ProtocolLimits limits;
    auto request = receive_request_body(in, *version, limits);
    ASSERT_TRUE(request.ok()) << request.error().message;
    EXPECT_EQ(request->argv, (std::vector<std::string>{"gcc", "-c", "hello.c", "-o", "hello.o"}));
    EXPECT_EQ(request->source, "int foo(){return 0;}");
    ProtocolWriter out(client.get(), Millis(2000));
    EXPECT_TRUE(send_reply(out, reply).ok());
  });
}

ProbeSettings settings_for(int port, std::optional<std::string> compiler) {
  ProbeSettings settings;
  settings.port = port;
  settings.compiler = std::move(compiler);
  return settings;
}

TEST(LsdistccProbe, ConnectOnlyAndRefused) {
  int dead_port = 0;
  {
    Listener closed;
    dead_port = closed.port;
  }
  EXPECT_FALSE(probe_host("127.0.0.1", settings_for(dead_port, std::nullopt)).ok());
  Listener live;
  EXPECT_TRUE(probe_host("127.0.0.1", settings_for(live.port, std::nullopt)).ok());
  ProbeSettings no_connect = settings_for(dead_port, "gcc");
  no_connect.connect_timeout = Millis(0);  // -c0: a resolved name is up
  EXPECT_TRUE(probe_host("127.0.0.1", no_connect).ok());
}

TEST(LsdistccProbe, TestCompileMustSucceed) {
  Listener live;
  CompileReply good;
  good.object = "object bytes";
  auto server = serve_one(live.fd.get(), good);
  EXPECT_TRUE(probe_host("127.0.0.1", settings_for(live.port, "gcc")).ok());
  server.join();

  CompileReply bad;
  bad.wait_status = 1 << 8;
  bad.stderr_text = "gcc: fatal error";
  server = serve_one(live.fd.get(), bad);
  Status status = probe_host("127.0.0.1", settings_for(live.port, "gcc"));
  server.join();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("gcc: fatal error"), std::string::npos);
}

TEST(LsdistccProbe, ServerThatDropsTheJobIsDown) {
  Listener live;
  std::thread server([fd = live.fd.get()] { UniqueFd client(::accept(fd, nullptr, nullptr)); });
  Status status = probe_host("127.0.0.1", settings_for(live.port, "gcc"));
  server.join();
  EXPECT_FALSE(status.ok());
}

TEST(LsdistccProbe, SilentServerTimesOut) {
  Listener live;  // accepted by the kernel, never answered
  ProbeSettings settings = settings_for(live.port, "gcc");
  settings.compile_timeout = Millis(200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(probe_host("127.0.0.1", settings).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace dcc::lsdistcc
