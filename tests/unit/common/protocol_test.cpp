#include "common/protocol.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../test_support.h"
#include "common/lzo_codec.h"

namespace dcc {
namespace {

using namespace std::chrono_literals;
using test::hex8;
using test::make_socket_pair;
using test::read_to_eof;
using test::ScriptedPeer;
using test::send_all;
using test::wire_of;

constexpr Millis kTimeout = 5000ms;

Millis elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);
}

// ---- features_for ------------------------------------------------------------------------------

TEST(FeaturesFor, VersionZeroAndOneArePlainUncompressed) {
  for (std::uint32_t version : {0u, 1u}) {
    auto f = features_for(version);
    ASSERT_TRUE(f.has_value()) << version;
    EXPECT_FALSE(f->compressed);
    EXPECT_FALSE(f->sends_cwd);
    EXPECT_FALSE(f->sends_files);
    EXPECT_FALSE(f->returns_dotd);
  }
}

TEST(FeaturesFor, VersionTwoOnlyAddsCompression) {
  auto f = features_for(2);
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->compressed);
  EXPECT_FALSE(f->sends_cwd);
  EXPECT_FALSE(f->sends_files);
  EXPECT_FALSE(f->returns_dotd);
}

TEST(FeaturesFor, VersionThreeIsPumpMode) {
  auto f = features_for(3);
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->compressed);
  EXPECT_TRUE(f->sends_cwd);
  EXPECT_TRUE(f->sends_files);
  EXPECT_TRUE(f->returns_dotd);
}

TEST(FeaturesFor, OurHeaderCacheVersionIsPumpModeWithTheExtension) {
  auto f = features_for(kProtocolPumpHeaderCache);
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->sends_files);
  EXPECT_TRUE(f->header_cache);
  EXPECT_FALSE(features_for(3)->header_cache);
  for (bool accept_pump : {false, true}) {
    ScriptedPeer peer("DIST00000103");
    ProtocolReader in(peer.fd(), Millis{5000});
    EXPECT_EQ(receive_request_version(in, accept_pump).ok(), accept_pump);
  }
}

TEST(FeaturesFor, LaterVersionsAreUnsupported) {
  EXPECT_FALSE(features_for(4).has_value());
  EXPECT_FALSE(features_for(9999).has_value());
  EXPECT_FALSE(features_for(0xffffffffu).has_value());
}

// ---- framing: writer
// -----------------------------------------------------------------------------

TEST(ProtocolWriter, HeaderIsTokenAndEightLowercaseHexDigits) {
  std::string wire = wire_of([](ProtocolWriter& out) {
    out.put_token("DIST", 1);
    out.put_token("ARGC", 0xdeadbeef);
    out.put_token("STAT", 0);
    out.put_token("DOTI", 0xffffffff);
    ASSERT_TRUE(out.flush().ok());
  });
  EXPECT_EQ(wire, "DIST00000001ARGCdeadbeefSTAT00000000DOTIffffffff");
}

TEST(ProtocolWriter, StringIsHeaderThenBodyWithoutTerminator) {
  std::string wire = wire_of([](ProtocolWriter& out) {
    out.put_string("ARGV", "-c");
    out.put_string("ARGV", "");
    out.put_string("ARGV", std::string("a\0b", 3));
    ASSERT_TRUE(out.flush().ok());
  });
  EXPECT_EQ(wire, std::string("ARGV00000002-cARGV00000000ARGV00000003a\0b", 41));
}

TEST(ProtocolWriter, NothingIsSentBeforeFlush) {
  auto pair = make_socket_pair();
  ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
  ProtocolWriter out(pair.a.get(), kTimeout);
  out.put_token("DIST", 2);
  char byte;
  EXPECT_EQ(::read(pair.b.get(), &byte, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  ASSERT_TRUE(out.flush().ok());
  EXPECT_EQ(out.bytes_written(), 12u);
}

TEST(ProtocolWriter, UncompressedBulkIsSentVerbatim) {
  std::string wire = wire_of([](ProtocolWriter& out) {
    ASSERT_TRUE(out.put_bulk("DOTI", "int x;\n", false).ok());
    ASSERT_TRUE(out.flush().ok());
  });
  EXPECT_EQ(wire, "DOTI00000007int x;\n");
}

TEST(ProtocolWriter, CompressedBulkCarriesTheCompressedLength) {
  std::string plain(10000, 'x');
  auto packed = lzo_compress(plain);
  ASSERT_TRUE(packed.ok());
  std::string wire = wire_of([&](ProtocolWriter& out) {
    ASSERT_TRUE(out.put_bulk("DOTO", plain, true).ok());
    ASSERT_TRUE(out.flush().ok());
  });
  EXPECT_EQ(wire, "DOTO" + hex8(static_cast<std::uint32_t>(packed->size())) + *packed);
  EXPECT_LT(packed->size(), plain.size());
}

TEST(ProtocolWriter, EmptyBulkIsLengthZeroWithNoBodyEvenWhenCompressing) {
  std::string wire = wire_of([](ProtocolWriter& out) {
    ASSERT_TRUE(out.put_bulk("SERR", "", true).ok());
    ASSERT_TRUE(out.put_bulk("SOUT", "", false).ok());
    ASSERT_TRUE(out.flush().ok());
  });
  EXPECT_EQ(wire, "SERR00000000SOUT00000000");
}

TEST(ProtocolWriter, LargeBodyKeepsItsPlaceInTheStream) {
  // A body beyond the writer's buffer goes straight to the socket: headers before and after it
  // must still come out in order.
  std::string big = test::random_bytes(3 * 1024 * 1024);
  std::string wire = wire_of([&](ProtocolWriter& out) {
    out.put_token("DIST", 1);
    ASSERT_TRUE(out.put_bulk("DOTI", big, false).ok());
    out.put_token("DONE", 1);
    ASSERT_TRUE(out.flush().ok());
    EXPECT_EQ(out.bytes_written(), 12u + 12u + big.size() + 12u);
  });
  EXPECT_EQ(wire, "DIST00000001DOTI" + hex8(static_cast<std::uint32_t>(big.size())) + big +
                      "DONE00000001");
}

// ---- framing: reader
// -----------------------------------------------------------------------------

TEST(ProtocolReader, ReadsLowercaseAndAcceptsUppercaseHex) {
  ScriptedPeer peer("ARGCdeadbeefARGCDEADBEEFARGC0000aBcD");
  ProtocolReader in(peer.fd(), kTimeout);
  for (std::uint32_t expected : {0xdeadbeefu, 0xdeadbeefu, 0xabcdu}) {
    auto value = in.expect_token("ARGC");
    ASSERT_TRUE(value.ok()) << value.error().message;
    EXPECT_EQ(*value, expected);
  }
  EXPECT_EQ(in.bytes_read(), 36u);
}

TEST(ProtocolReader, WrongTokenIsADerailmentNamingWhatArrived) {
  ScriptedPeer peer("DOTI00000010");
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.expect_token("ARGC");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::protocol_error);
  EXPECT_EQ(value.error().message,
            "protocol derailment: expected token ARGC, got \"DOTI00000010\"");
}

TEST(ProtocolReader, HttpRequestIsADerailmentShownPrintably) {
  ScriptedPeer peer("GET / HTTP/1.0\r\n\r\n");
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.expect_token("DIST");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::protocol_error);
  EXPECT_EQ(value.error().message,
            "protocol derailment: expected token DIST, got \"GET / HTTP/1.0\\r\\n\\r\\n\"");
}

TEST(ProtocolReader, NonHexDigitsAreADerailment) {
  for (const char* bad :
       {"ARGC0000000g", "ARGC 0000001", "ARGC-0000001", "ARGC+0000001", "ARGC0x000001"}) {
    ScriptedPeer peer(bad);
    ProtocolReader in(peer.fd(), kTimeout);
    auto value = in.expect_token("ARGC");
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.error().code, ExitCode::protocol_error) << bad;
    EXPECT_NE(value.error().message.find("protocol derailment: expected token ARGC, got"),
              std::string::npos)
        << value.error().message;
  }
}

TEST(ProtocolReader, ImmediateEndOfStreamIsTruncated) {
  ScriptedPeer peer("");
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.expect_token("DIST");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::truncated);
  EXPECT_EQ(value.error().message, "connection closed while expecting token DIST");
}

TEST(ProtocolReader, TruncatedHeaderIsTruncated) {
  ScriptedPeer peer("ARGC0000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.expect_token("ARGC");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::truncated);
  EXPECT_EQ(value.error().message, "connection closed after 8 bytes of the ARGC header");
}

TEST(ProtocolReader, TruncatedBodyIsTruncated) {
  ScriptedPeer peer("ARGV00000010abc");
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_string("ARGV", 100);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::truncated);
  EXPECT_EQ(value.error().message, "connection closed after 3 of 16 bytes of ARGV");
}

TEST(ProtocolReader, HeaderSplitAcrossWritesIsReassembled) {
  // The peer sends one byte at a time; the reader must not mistake a short read for the header.
  auto pair = make_socket_pair();
  ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
  std::thread writer([&] {
    for (char c : std::string("ARGV00000003abc")) {
      if (!send_all(pair.a.get(), std::string_view(&c, 1))) break;
    }
  });
  ProtocolReader in(pair.b.get(), kTimeout);
  auto value = in.read_string("ARGV", 10);
  writer.join();
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, "abc");
}

TEST(ProtocolReader, StringLongerThanItsLimitIsRefusedBeforeItsBody) {
  // Only the header is sent and the peer stays connected: the limit must be checked before
  // waiting for the body.
  ScriptedPeer peer("ARGV00000101", /*close_after=*/false);
  ProtocolReader in(peer.fd(), kTimeout);
  auto start = std::chrono::steady_clock::now();
  auto value = in.read_string("ARGV", 0x100);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::protocol_error);
  EXPECT_EQ(value.error().message, "ARGV of 257 bytes exceeds the limit of 256");
  EXPECT_LT(elapsed_since(start), 1000ms);
}

TEST(ProtocolReader, StringAtItsLimitIsAccepted) {
  ScriptedPeer peer("ARGV00000004abcd");
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_string("ARGV", 4);
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, "abcd");
}

TEST(ProtocolReader, BulkBeyondMaxBodyIsRefusedBeforeItsBody) {
  ProtocolLimits limits;
  limits.max_body = 100;
  ScriptedPeer peer("DOTI00000065", /*close_after=*/false);
  ProtocolReader in(peer.fd(), kTimeout);
  auto start = std::chrono::steady_clock::now();
  auto value = in.read_bulk("DOTI", false, limits);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::protocol_error);
  EXPECT_EQ(value.error().message, "DOTI of 101 bytes exceeds the limit of 100");
  EXPECT_LT(elapsed_since(start), 1000ms);
}

TEST(ProtocolReader, DefaultLimitRefusesAFourGigabyteBody) {
  ScriptedPeer peer("DOTIffffffff", /*close_after=*/false);
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_bulk("DOTI", false, ProtocolLimits{});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::protocol_error);
}

TEST(ProtocolReader, CompressedBulkIsDecompressed) {
  std::string plain;
  for (int i = 0; i < 2000; ++i)
    plain += "int v" + std::to_string(i) + " = " + std::to_string(i * 7) + ";\n";
  auto packed = lzo_compress(plain);
  ASSERT_TRUE(packed.ok());
  ScriptedPeer peer("DOTI" + hex8(static_cast<std::uint32_t>(packed->size())) + *packed);
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_bulk("DOTI", true, ProtocolLimits{});
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, plain);
}

TEST(ProtocolReader, EmptyCompressedBulkIsEmpty) {
  ScriptedPeer peer("SERR00000000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_bulk("SERR", true, ProtocolLimits{});
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, "");
}

TEST(ProtocolReader, CorruptCompressedBulkIsAProtocolErrorNamingTheToken) {
  auto packed = lzo_compress(std::string(5000, 'q') + "tail");
  ASSERT_TRUE(packed.ok());
  std::string corrupt = packed->substr(0, packed->size() - 3);  // the end marker is cut off
  ScriptedPeer peer("DOTI" + hex8(static_cast<std::uint32_t>(corrupt.size())) + corrupt);
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_bulk("DOTI", true, ProtocolLimits{});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::protocol_error);
  EXPECT_EQ(value.error().message.rfind("DOTI: ", 0), 0u) << value.error().message;
}

TEST(ProtocolReader, DecompressedSizeIsBounded) {
  std::string plain(1 << 20, '\0');
  auto packed = lzo_compress(plain);
  ASSERT_TRUE(packed.ok());
  ProtocolLimits limits;
  limits.max_plain = plain.size() - 1;
  ScriptedPeer peer("DOTO" + hex8(static_cast<std::uint32_t>(packed->size())) + *packed);
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_bulk("DOTO", true, limits);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::protocol_error);
}

// A header claiming 4 GiB - 1 followed by end of stream must fail at once, and must not reserve
// memory for bytes that never arrived. The read runs in a child process whose address space is
// capped well below 4 GiB, so an up-front allocation would fail there.
TEST(ProtocolReader, HugeLengthThenEndOfStreamFailsWithoutAllocatingIt) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "an address-space limit cannot be combined with AddressSanitizer's shadow memory";
#else
  auto pair = make_socket_pair();
  ASSERT_TRUE(send_all(pair.a.get(), std::string("DOTIffffffff") + std::string(1000, 'x')));
  ::shutdown(pair.a.get(), SHUT_WR);
  ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // What is mapped now plus 1 GiB: plenty for the read, far below 4 GiB.
    unsigned long pages = 0;
    if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%lu", &pages) != 1) pages = 0;
      std::fclose(statm);
    }
    rlimit cap{};
    ::getrlimit(RLIMIT_AS, &cap);
    cap.rlim_cur = pages * static_cast<unsigned long>(::sysconf(_SC_PAGESIZE)) + (1UL << 30);
    if (pages == 0 || ::setrlimit(RLIMIT_AS, &cap) != 0) ::_exit(3);
    ProtocolLimits limits;
    limits.max_body = std::numeric_limits<std::size_t>::max();
    ProtocolReader in(pair.b.get(), kTimeout);
    auto value = in.read_bulk("DOTI", false, limits);
    int code = value.ok() ? 1 : value.error().code == ExitCode::truncated ? 0 : 2;
    if (code == 2) std::fprintf(stderr, "child: %s\n", value.error().message.c_str());
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "the reader died (signal " << WTERMSIG(status)
                                 << "): it allocated the claimed size";
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "1: the read succeeded, 2: wrong error, 3: no address-space cap";
  EXPECT_LT(elapsed_since(start), 2000ms);
#endif
}

TEST(ProtocolReader, HugeLengthMessageSaysHowMuchArrived) {
  ScriptedPeer peer("DOTIffffffff" + std::string(100, 'x'));
  ProtocolLimits limits;
  limits.max_body = std::numeric_limits<std::size_t>::max();
  ProtocolReader in(peer.fd(), kTimeout);
  auto value = in.read_bulk("DOTI", false, limits);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::truncated);
  EXPECT_EQ(value.error().message, "connection closed after 100 of 4294967295 bytes of DOTI");
}

TEST(ProtocolReader, SilentPeerFailsAfterTheStallTimeout) {
  ScriptedPeer peer("", /*close_after=*/false);
  ProtocolReader in(peer.fd(), 300ms);
  auto start = std::chrono::steady_clock::now();
  auto value = in.expect_token("DIST");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::io_error);
  EXPECT_GE(elapsed_since(start), 250ms);
  EXPECT_LT(elapsed_since(start), 3000ms);
}

// DISTCC_IO_TIMEOUT is in seconds and may be large; a stall timeout beyond what poll() takes in
// an int (about 24.8 days) must still mean "wait", not wrap around to a short or negative wait.
TEST(ProtocolReader, HugeStallTimeoutStillWaitsForTheData) {
  auto pair = make_socket_pair();
  ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  std::thread late_writer([&] {
    std::unique_lock lock(mutex);
    if (!wake.wait_for(lock, 1200ms, [&] { return stop; })) send_all(pair.a.get(), "DIST00000001");
  });
  // 4294968 s in milliseconds is 2^32 + 704: truncated to int that would be a 0.7 s wait.
  ProtocolReader in(pair.b.get(), Millis(4294968000LL));
  auto value = in.expect_token("DIST");
  {
    std::lock_guard lock(mutex);
    stop = true;
  }
  wake.notify_all();
  late_writer.join();
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, 1u);
}

// A peer sending one byte every 20 ms never stalls for long, so only the overall deadline can
// stop it from holding the reader.
TEST(ProtocolReader, DeadlineBoundsAPeerThatTricklesBytes) {
  auto pair = make_socket_pair();
  ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  std::thread trickle([&] {
    std::string script = "ARGV000003e8" + std::string(1000, 'a');
    std::unique_lock lock(mutex);
    for (char c : script) {
      if (!send_all(pair.a.get(), std::string_view(&c, 1))) break;
      if (wake.wait_for(lock, 20ms, [&] { return stop; })) break;
    }
  });
  ProtocolReader in(pair.b.get(), 2000ms);
  auto start = std::chrono::steady_clock::now();
  in.set_deadline(start + 300ms);
  auto value = in.read_string("ARGV", 4096);
  Millis took = elapsed_since(start);
  {
    std::lock_guard lock(mutex);
    stop = true;
  }
  wake.notify_all();
  trickle.join();
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::timeout) << value.error().message;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1500ms);
}

TEST(ProtocolReader, DeadlineShorterThanTheStallTimeoutIsReportedAsTheDeadline) {
  ScriptedPeer peer("DIST0000", /*close_after=*/false);
  ProtocolReader in(peer.fd(), 5000ms);
  auto start = std::chrono::steady_clock::now();
  in.set_deadline(start + 200ms);
  auto value = in.expect_token("DIST");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::timeout) << value.error().message;
  EXPECT_NE(value.error().message.find("deadline"), std::string::npos) << value.error().message;
  EXPECT_LT(elapsed_since(start), 1500ms);
}

TEST(ProtocolReader, PassedDeadlineFailsBeforeReading) {
  ScriptedPeer peer("DIST00000001");
  ProtocolReader in(peer.fd(), kTimeout);
  in.set_deadline(std::chrono::steady_clock::now() - 1ms);
  auto value = in.expect_token("DIST");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ExitCode::timeout);
}

// ---- requests
// ------------------------------------------------------------------------------------

const std::vector<std::string> kHelloArgv = {"x86_64-linux-gnu-gcc", "-c", "hello.c", "-o",
                                             "hello.o"};
constexpr const char* kHelloArgvWire =
    "ARGC00000005ARGV00000014x86_64-linux-gnu-gccARGV00000002-cARGV00000007hello.c"
    "ARGV00000002-oARGV00000007hello.o";

std::string preprocessed_text(std::size_t size) {
  std::string text;
  for (int i = 0; text.size() < size; ++i)
    text += "# " + std::to_string(i) + " \"hello.c\"\nint f" + std::to_string(i) + "(void);\n";
  text.resize(size);
  return text;
}

// distcc 3.4's own v1 request for `gcc -c hello.c -o hello.o` (facts §3.5): same bytes.
TEST(Request, Version1MatchesTheCaptured34Exchange) {
  CompileRequest request;
  request.version = 1;
  request.argv = kHelloArgv;
  request.source = preprocessed_text(17987);
  std::string wire =
      wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_request(out, request).ok()); });
  std::string expected_head = std::string("DIST00000001") + kHelloArgvWire + "DOTI00004643";
  EXPECT_EQ(wire.substr(0, expected_head.size()), expected_head);
  EXPECT_EQ(wire, expected_head + request.source);
}

TEST(Request, Version2CompressesOnlyTheSource) {
  CompileRequest request;
  request.version = 2;
  request.argv = kHelloArgv;
  request.source = preprocessed_text(4756);
  auto packed = lzo_compress(request.source);
  ASSERT_TRUE(packed.ok());
  std::string wire =
      wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_request(out, request).ok()); });
  EXPECT_EQ(wire, std::string("DIST00000002") + kHelloArgvWire + "DOTI" +
                      hex8(static_cast<std::uint32_t>(packed->size())) + *packed);
}

TEST(Request, LsdistccProbeIsAValidVersion1Request) {
  // lsdistcc's probe (facts §3.5) must be read like any other v1 request.
  std::string probe = std::string("DIST00000001") +
                      "ARGC00000005ARGV00000003gccARGV00000002-cARGV00000007hello.c"
                      "ARGV00000002-oARGV00000007hello.oDOTI00000014int foo(){return 0;}";
  ScriptedPeer peer(probe);
  ProtocolReader in(peer.fd(), kTimeout);
  auto version = receive_request_version(in);
  ASSERT_TRUE(version.ok()) << version.error().message;
  auto request = receive_request_body(in, *version, ProtocolLimits{});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->argv, (std::vector<std::string>{"gcc", "-c", "hello.c", "-o", "hello.o"}));
  EXPECT_EQ(request->source, "int foo(){return 0;}");
}

class RequestRoundTrip : public testing::TestWithParam<std::uint32_t> {};

TEST_P(RequestRoundTrip, WhatIsSentIsWhatIsReceived) {
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{70000}, std::size_t{6} << 20}) {
    CompileRequest sent;
    sent.version = GetParam();
    sent.argv = {"gcc", "-O2", "-c", "big.c", "-o", "big.o", std::string(1000, 'D'), ""};
    sent.source = size > 100000 ? test::random_bytes(size) : preprocessed_text(size);
    auto pair = make_socket_pair();
    ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
    Status send_status;
    std::thread writer([&] {
      ProtocolWriter out(pair.a.get(), kTimeout);
      send_status = send_request(out, sent);
    });
    ProtocolReader in(pair.b.get(), kTimeout);
    auto version = receive_request_version(in);
    auto received = version ? receive_request_body(in, *version, ProtocolLimits{})
                            : Result<CompileRequest>(version.error());
    writer.join();
    ASSERT_TRUE(send_status.ok()) << send_status.error().message;
    ASSERT_TRUE(received.ok()) << received.error().message;
    EXPECT_EQ(received->version, sent.version);
    EXPECT_EQ(received->argv, sent.argv);
    EXPECT_TRUE(received->source == sent.source) << "source of " << size << " bytes differs";
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, RequestRoundTrip, testing::Values(0u, 1u, 2u));

TEST(Request, PumpAndUnknownVersionsCannotBeSentInPlainMode) {
  for (std::uint32_t version : {3u, 4u, 9999u}) {
    CompileRequest request;
    request.version = version;
    request.argv = kHelloArgv;
    std::string wire = wire_of([&](ProtocolWriter& out) {
      Status s = send_request(out, request);
      ASSERT_FALSE(s.ok()) << version;
      EXPECT_EQ(s.error().code, ExitCode::protocol_error);
    });
    EXPECT_EQ(wire, "") << "nothing may be sent for version " << version;
  }
}

TEST(Request, VersionZeroIsServedAsVersionOne) {
  ScriptedPeer peer("DIST00000000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto version = receive_request_version(in);
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(*version, 0u);
}

TEST(Request, UnsupportedVersionsAreRefused) {
  for (const char* dist : {"DIST00000004", "DIST0000270f", "DISTffffffff"}) {
    ScriptedPeer peer(dist);
    ProtocolReader in(peer.fd(), kTimeout);
    auto version = receive_request_version(in);
    ASSERT_FALSE(version.ok()) << dist;
    EXPECT_EQ(version.error().code, ExitCode::protocol_error);
    EXPECT_NE(version.error().message.find("unsupported protocol version"), std::string::npos);
  }
}

TEST(Request, PumpModeIsRefusedByThePlainServer) {
  ScriptedPeer peer("DIST00000003");
  ProtocolReader in(peer.fd(), kTimeout);
  auto version = receive_request_version(in);
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().code, ExitCode::protocol_error);
}

TEST(Request, ZeroArgumentsAreRefused) {
  ScriptedPeer peer("ARGC00000000DOTI00000000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto request = receive_request_body(in, 1, ProtocolLimits{});
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ExitCode::protocol_error);
  EXPECT_EQ(request.error().message, "ARGC 0 is outside 1..10000");
}

TEST(Request, TooManyArgumentsAreRefusedBeforeAnyIsRead) {
  ProtocolLimits limits;
  limits.max_argc = 3;
  ScriptedPeer peer("ARGC00000004", /*close_after=*/false);
  ProtocolReader in(peer.fd(), kTimeout);
  auto start = std::chrono::steady_clock::now();
  auto request = receive_request_body(in, 1, limits);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ExitCode::protocol_error);
  EXPECT_EQ(request.error().message, "ARGC 4 is outside 1..3");
  EXPECT_LT(elapsed_since(start), 1000ms);
}

TEST(Request, ArgcOfFourGigaIsRefused) {
  ScriptedPeer peer("ARGCffffffff", /*close_after=*/false);
  ProtocolReader in(peer.fd(), kTimeout);
  auto request = receive_request_body(in, 2, ProtocolLimits{});
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ExitCode::protocol_error);
}

TEST(Request, OverlongArgumentIsRefused) {
  ProtocolLimits limits;
  limits.max_arg_length = 8;
  ScriptedPeer peer("ARGC00000002ARGV00000003gccARGV00000009123456789DOTI00000000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto request = receive_request_body(in, 1, limits);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ExitCode::protocol_error);
  EXPECT_EQ(request.error().message, "ARGV of 9 bytes exceeds the limit of 8");
}

TEST(Request, ArgumentsTooBigTogetherAreRefused) {
  ProtocolLimits limits;
  limits.max_arg_length = 8;
  limits.max_total_argv = 20;
  std::string script = "ARGC00000004";
  for (int i = 0; i < 4; ++i) script += "ARGV0000000612345" + std::to_string(i);
  ScriptedPeer peer(script + "DOTI00000000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto request = receive_request_body(in, 1, limits);
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ExitCode::protocol_error);
  EXPECT_EQ(request.error().message, "arguments exceed the limit of 20 bytes");
}

TEST(Request, ArgumentsExactlyAtTheTotalLimitAreAccepted) {
  ProtocolLimits limits;
  limits.max_total_argv = 18;
  std::string script = "ARGC00000003";
  for (int i = 0; i < 3; ++i) script += "ARGV0000000612345" + std::to_string(i);
  ScriptedPeer peer(script + "DOTI00000000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto request = receive_request_body(in, 1, limits);
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->argv.size(), 3u);
}

TEST(Request, MissingSourceIsADerailment) {
  ScriptedPeer peer("ARGC00000001ARGV00000003gccDONE00000001");
  ProtocolReader in(peer.fd(), kTimeout);
  auto request = receive_request_body(in, 1, ProtocolLimits{});
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ExitCode::protocol_error);
  EXPECT_EQ(request.error().message,
            "protocol derailment: expected token DOTI, got \"DONE00000001\"");
}

TEST(Request, CorruptCompressedSourceIsRefused) {
  ScriptedPeer peer("ARGC00000001ARGV00000003gccDOTI00000010" + std::string(16, '\xff'));
  ProtocolReader in(peer.fd(), kTimeout);
  auto request = receive_request_body(in, 2, ProtocolLimits{});
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ExitCode::protocol_error);
}

// ---- replies
// -------------------------------------------------------------------------------------

TEST(Reply, Version1SuccessMatchesTheCaptured34Exchange) {
  CompileReply reply;
  reply.version = 1;
  reply.object = test::random_bytes(1384);
  std::string wire =
      wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, reply).ok()); });
  EXPECT_EQ(wire, "DONE00000001STAT00000000SERR00000000SOUT00000000DOTO00000568" + reply.object);
}

TEST(Reply, Version1FailureMatchesTheCaptured34Exchange) {
  CompileReply reply;
  reply.version = 1;
  reply.wait_status = 1 << 8;
  reply.stderr_text = "bad.c: In function 'main':\n" + std::string(197 - 27, 'e');
  ASSERT_EQ(reply.stderr_text.size(), 197u);
  reply.object = "an object that must not be sent";
  std::string wire =
      wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, reply).ok()); });
  EXPECT_EQ(wire, "DONE00000001STAT00000100SERR000000c5" + reply.stderr_text +
                      "SOUT00000000DOTO00000000");
}

TEST(Reply, Version2CompressesEveryNonEmptyBody) {
  CompileReply reply;
  reply.version = 2;
  reply.stderr_text = "hello.c:1:1: warning: something\n";
  reply.object = std::string(635, 'o');
  auto err = lzo_compress(reply.stderr_text);
  auto obj = lzo_compress(reply.object);
  ASSERT_TRUE(err.ok() && obj.ok());
  std::string wire =
      wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, reply).ok()); });
  EXPECT_EQ(wire, "DONE00000002STAT00000000SERR" + hex8(static_cast<std::uint32_t>(err->size())) +
                      *err + "SOUT00000000DOTO" + hex8(static_cast<std::uint32_t>(obj->size())) +
                      *obj);
}

TEST(Reply, VersionZeroRepliesDoneZero) {
  CompileReply reply;
  reply.version = 0;
  std::string wire =
      wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, reply).ok()); });
  EXPECT_EQ(wire, "DONE00000000STAT00000000SERR00000000SOUT00000000DOTO00000000");
}

TEST(Reply, UnknownVersionCannotBeSent) {
  CompileReply reply;
  reply.version = 4;
  std::string wire =
      wire_of([&](ProtocolWriter& out) { EXPECT_FALSE(send_reply(out, reply).ok()); });
  EXPECT_EQ(wire, "");
}

class ReplyRoundTrip : public testing::TestWithParam<std::uint32_t> {};

TEST_P(ReplyRoundTrip, SuccessAndFailureSurviveTheTrip) {
  struct Case {
    std::uint32_t status;
    std::string err, out, object;
  };
  std::vector<Case> cases = {
      {0, "", "", ""},
      {0, "warning: x\n", "stdout text\n", test::random_bytes(5 << 20)},
      {0, "", "", std::string(8 << 20, '\0')},
      {1 << 8, "error: y\n", "", ""},
      {11, "", "", ""},  // killed by SIGSEGV
      {118 << 8, "distccd: job lifetime exceeded\n", "", ""},
  };
  for (const auto& c : cases) {
    CompileReply sent;
    sent.version = GetParam();
    sent.wait_status = c.status;
    sent.stderr_text = c.err;
    sent.stdout_text = c.out;
    sent.object = c.object;
    auto pair = make_socket_pair();
    ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
    Status send_status;
    std::thread writer([&] {
      ProtocolWriter out(pair.a.get(), kTimeout);
      send_status = send_reply(out, sent);
    });
    ProtocolReader in(pair.b.get(), kTimeout);
    auto received = receive_reply(in, GetParam(), ProtocolLimits{});
    writer.join();
    ASSERT_TRUE(send_status.ok()) << send_status.error().message;
    ASSERT_TRUE(received.ok()) << received.error().message;
    EXPECT_EQ(received->version, sent.version);
    EXPECT_EQ(received->wait_status, c.status);
    EXPECT_EQ(received->stderr_text, c.err);
    EXPECT_EQ(received->stdout_text, c.out);
    EXPECT_TRUE(received->object == c.object)
        << "object of " << c.object.size() << " bytes differs";
    EXPECT_FALSE(received->dotd.has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, ReplyRoundTrip, testing::Values(0u, 1u, 2u));

TEST(Reply, Version3CarriesTheDependencyFileOnSuccessOnly) {
  CompileReply ok;
  ok.version = 3;
  ok.object = "OBJ";
  ok.dotd = "hello.o: hello.c\n";
  std::string wire = wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, ok).ok()); });
  ScriptedPeer peer(wire);
  ProtocolReader in(peer.fd(), kTimeout);
  auto received = receive_reply(in, 3, ProtocolLimits{});
  ASSERT_TRUE(received.ok()) << received.error().message;
  ASSERT_TRUE(received->dotd.has_value());
  EXPECT_EQ(*received->dotd, "hello.o: hello.c\n");

  CompileReply failed = ok;
  failed.wait_status = 1 << 8;
  std::string failed_wire =
      wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, failed).ok()); });
  EXPECT_EQ(failed_wire.find("DOTD"), std::string::npos);
}

TEST(Reply, ObjectWithAFailingStatusIsRejected) {
  ScriptedPeer peer("DONE00000001STAT00000100SERR00000000SOUT00000000DOTO00000003abc");
  ProtocolReader in(peer.fd(), kTimeout);
  auto reply = receive_reply(in, 1, ProtocolLimits{});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ExitCode::protocol_error);
  EXPECT_EQ(reply.error().message, "server sent an object file with failing status 256");
}

TEST(Reply, DoneWithAnotherVersionIsRejected) {
  ScriptedPeer peer("DONE00000001STAT00000000SERR00000000SOUT00000000DOTO00000000");
  ProtocolReader in(peer.fd(), kTimeout);
  auto reply = receive_reply(in, 2, ProtocolLimits{});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ExitCode::protocol_error);
  EXPECT_EQ(reply.error().message, "server replied with protocol 1, not 2");
}

TEST(Reply, ServerClosingWithoutAnswerIsTruncated) {
  ScriptedPeer peer("");
  ProtocolReader in(peer.fd(), kTimeout);
  auto reply = receive_reply(in, 1, ProtocolLimits{});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ExitCode::truncated);
}

TEST(Reply, ReplyCutInTheObjectIsTruncated) {
  ScriptedPeer peer("DONE00000001STAT00000000SERR00000000SOUT00000000DOTO00000568" +
                    std::string(1000, 'o'));
  ProtocolReader in(peer.fd(), kTimeout);
  auto reply = receive_reply(in, 1, ProtocolLimits{});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, ExitCode::truncated);
  EXPECT_EQ(reply.error().message, "connection closed after 1000 of 1384 bytes of DOTO");
}

// ---- printable
// -----------------------------------------------------------------------------------

TEST(Printable, EscapesControlBytesAndBackslashes) {
  EXPECT_EQ(printable("HTTP/1.1\r\n"), "HTTP/1.1\\r\\n");
  EXPECT_EQ(printable(std::string("a\0b\x7f\\", 5)), "a\\x00b\\x7f\\x5c");
  EXPECT_EQ(printable("\xff\x80"), "\\xff\\x80");
}

TEST(Printable, TruncatesWithAnEllipsis) {
  EXPECT_EQ(printable("abcdef", 3), "abc...");
  EXPECT_EQ(printable("abc", 3), "abc");
}

// ---- our capability trailer
// -----------------------------------------------------------------------------

CompileReply ok_reply() {
  CompileReply reply;
  reply.version = 3;
  reply.object = "OBJECT";
  reply.dotd = "x.o: x.c\n";
  return reply;
}

TEST(Capabilities, TrailerFollowsTheReplyInTheSameWrite) {
  std::string wire = wire_of([](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, ok_reply(), 1).ok()); });
  ASSERT_GE(wire.size(), 12u);
  EXPECT_EQ(wire.substr(wire.size() - 12), "XCAP00000001");
  ScriptedPeer peer(wire, /*close_after=*/false);  // the trailer must be readable without an end
  ProtocolReader in(peer.fd(), Millis{5000});
  ASSERT_TRUE(receive_reply(in, 3, ProtocolLimits{}).ok());
  auto caps = receive_capabilities(in);
  ASSERT_TRUE(caps.ok()) << caps.error().message;
  ASSERT_TRUE(caps->has_value());
  EXPECT_EQ(**caps, 1u);
}

TEST(Capabilities, ServerThatClosesAfterTheReplyHasNone) {
  std::string wire = wire_of([](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, ok_reply()).ok()); });
  ScriptedPeer peer(wire);
  ProtocolReader in(peer.fd(), Millis{5000});
  ASSERT_TRUE(receive_reply(in, 3, ProtocolLimits{}).ok());
  // The scripted end may close a moment after the reply arrives: wait until it has.
  Result<std::optional<std::uint32_t>> caps = make_error(ExitCode::timeout, "");
  for (int i = 0; i < 500 && !caps.ok(); ++i) {
    caps = receive_capabilities(in);
    if (!caps.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(caps.ok()) << caps.error().message;
  EXPECT_FALSE(caps->has_value());
}

TEST(Capabilities, NothingYetIsUnknownAndCostsNoWait) {
  std::string wire = wire_of([](ProtocolWriter& out) { ASSERT_TRUE(send_reply(out, ok_reply()).ok()); });
  ScriptedPeer peer(wire, /*close_after=*/false);
  ProtocolReader in(peer.fd(), Millis{5000});
  ASSERT_TRUE(receive_reply(in, 3, ProtocolLimits{}).ok());
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(receive_capabilities(in).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
}

TEST(ProtocolReader, ReadsItemsFromMemoryAndEndsThere) {
  ProtocolReader in(std::string("ARGC00000001ARGV00000002hi"));
  EXPECT_FALSE(in.exhausted());
  auto argv = receive_argv(in, ProtocolLimits{});
  ASSERT_TRUE(argv.ok()) << argv.error().message;
  EXPECT_EQ(*argv, std::vector<std::string>{"hi"});
  EXPECT_TRUE(in.exhausted());
  auto more = in.expect_token("NFIL");
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().code, ExitCode::truncated);
  ProtocolReader cut(std::string("ARGV00000010abc"));
  auto body = cut.read_string("ARGV", 100);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ExitCode::truncated);
}

}  // namespace
}  // namespace dcc
