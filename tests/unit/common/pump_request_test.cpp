#include "common/pump_request.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "../test_support.h"
#include "common/lzo_codec.h"

namespace dcc {
namespace {

using test::hex8;
using test::ScriptedPeer;
using test::wire_of;

constexpr Millis kTimeout{5000};

std::string item(const std::string& token, const std::string& body) {
  return token + hex8(static_cast<std::uint32_t>(body.size())) + body;
}

std::string lzo(const std::string& plain) {
  auto packed = lzo_compress(plain);
  EXPECT_TRUE(packed.ok());
  return *packed;
}

struct Received {
  Result<PumpRequest> request = make_error(ExitCode::distcc_failed, "not read");
  std::vector<PumpEntry> entries;
};

Received receive(const std::string& wire_after_dist, const ProtocolLimits& limits = {}) {
  ScriptedPeer peer(wire_after_dist);
  ProtocolReader in(peer.fd(), kTimeout);
  Received out;
  out.request = receive_pump_request(in, limits, [&](PumpEntry&& entry) -> Status {
    out.entries.push_back(std::move(entry));
    return {};
  });
  return out;
}

const std::vector<std::string> kArgv = {"x86_64-linux-gnu-gcc", "-c", "hello.c", "-o", "hello.o", "-I/home/u/proj/inc"};

std::string argv_wire() {
  std::string wire = "ARGC" + hex8(static_cast<std::uint32_t>(kArgv.size()));
  for (const auto& a : kArgv) wire += item("ARGV", a);
  return wire;
}

// The shape of distcc 3.4's own v3 request (facts §3.5): DIST, CDIR, ARGC/ARGV, NFIL, then
// NAME + FILE (LZO) or NAME + LINK (raw).
TEST(PumpRequest, SentAsDistcc34SendsIt) {
  PumpRequest request;
  request.cwd = "/home/u/proj";
  request.argv = kArgv;
  request.entries = {{PumpEntry::Kind::file, "/home/u/proj/hello.c", "#include \"hello.h\"\nint main(){}\n"},
                     {PumpEntry::Kind::file, "/home/u/proj/empty.h", ""},
                     {PumpEntry::Kind::link, "/home/u/proj/inc", "sub"}};
  std::string wire = wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_pump_request(out, request).ok()); });
  std::string expected = "DIST00000003" + item("CDIR", "/home/u/proj") + argv_wire() + "NFIL00000003" +
                         item("NAME", "/home/u/proj/hello.c") + item("FILE", lzo(request.entries[0].data)) +
                         item("NAME", "/home/u/proj/empty.h") + "FILE00000000" + item("NAME", "/home/u/proj/inc") +
                         item("LINK", "sub");
  EXPECT_EQ(wire, expected);
}

TEST(PumpRequest, RoundTripHandsEveryEntryToTheSinkInOrder) {
  PumpRequest sent;
  sent.cwd = "/src";
  sent.argv = kArgv;
  sent.entries.push_back({PumpEntry::Kind::file, "/src/a.c", test::random_bytes(300000)});
  sent.entries.push_back({PumpEntry::Kind::link, "/src/lib", "../usr/lib"});
  sent.entries.push_back({PumpEntry::Kind::file, "/src/b.h", "int b;\n"});
  std::string wire = wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_pump_request(out, sent).ok()); });
  ASSERT_EQ(wire.substr(0, 12), "DIST00000003");
  auto got = receive(wire.substr(12));
  ASSERT_TRUE(got.request.ok()) << got.request.error().message;
  EXPECT_EQ(got.request->cwd, "/src");
  EXPECT_EQ(got.request->argv, kArgv);
  ASSERT_EQ(got.entries.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got.entries[i].kind, sent.entries[i].kind);
    EXPECT_EQ(got.entries[i].name, sent.entries[i].name);
    EXPECT_TRUE(got.entries[i].data == sent.entries[i].data) << i;
  }
}

TEST(PumpRequest, VersionThreeIsAcceptedOnlyWhenAsked) {
  {
    ScriptedPeer peer("DIST00000003");
    ProtocolReader in(peer.fd(), kTimeout);
    EXPECT_FALSE(receive_request_version(in).ok());
  }
  ScriptedPeer peer("DIST00000003");
  ProtocolReader in(peer.fd(), kTimeout);
  auto version = receive_request_version(in, /*accept_pump=*/true);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 3u);
}

TEST(PumpRequest, TooManyFilesAreRefusedBeforeAnyArrives) {
  ProtocolLimits limits;
  limits.max_pump_entries = 2;
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000003", limits);
  ASSERT_FALSE(got.request.ok());
  EXPECT_EQ(got.request.error().code, ExitCode::protocol_error);
  EXPECT_EQ(got.request.error().message, "NFIL 3 exceeds the limit of 2 files");
}

TEST(PumpRequest, NfilOfFourGigaIsRefused) {
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFILffffffff");
  ASSERT_FALSE(got.request.ok());
  EXPECT_NE(got.request.error().message.find("exceeds the limit"), std::string::npos);
}

TEST(PumpRequest, OverlongNameIsRefusedBeforeItsBody) {
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000001NAME00100000");
  ASSERT_FALSE(got.request.ok());
  EXPECT_EQ(got.request.error().message, "NAME of 1048576 bytes exceeds the limit of 4096");
}

TEST(PumpRequest, NameWithNulIsRefused) {
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000001" + item("NAME", std::string("/p/a\0b", 6)) +
                     item("FILE", lzo("x")));
  ASSERT_FALSE(got.request.ok());
  EXPECT_NE(got.request.error().message.find("contains a NUL byte"), std::string::npos);
  EXPECT_TRUE(got.entries.empty());
}

TEST(PumpRequest, EmptyLinkTargetIsRefused) {
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000001" + item("NAME", "/p/l") + "LINK00000000");
  ASSERT_FALSE(got.request.ok());
  EXPECT_EQ(got.request.error().message, "LINK is empty");
}

TEST(PumpRequest, AnythingButFileOrLinkAfterNameIsADerailment) {
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000001" + item("NAME", "/p/a.c") + "DOTI00000000");
  ASSERT_FALSE(got.request.ok());
  EXPECT_EQ(got.request.error().code, ExitCode::protocol_error);
  EXPECT_NE(got.request.error().message.find("expected token FILE or LINK, got \"DOTI"), std::string::npos);
}

TEST(PumpRequest, CorruptFileBodyNamesTheFile) {
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000001" + item("NAME", "/p/a.c") +
                     item("FILE", "not lzo at all"));
  ASSERT_FALSE(got.request.ok());
  EXPECT_EQ(got.request.error().code, ExitCode::protocol_error);
  EXPECT_EQ(got.request.error().message.rfind("FILE /p/a.c: ", 0), 0u) << got.request.error().message;
}

TEST(PumpRequest, TotalOfAllFilesIsBounded) {
  ProtocolLimits limits;
  limits.max_pump_total = 150000;
  std::string big(100000, 'a');
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000002" + item("NAME", "/p/a.h") + item("FILE", lzo(big)) +
                         item("NAME", "/p/b.h") + item("FILE", lzo(big)),
                     limits);
  ASSERT_FALSE(got.request.ok());
  EXPECT_EQ(got.entries.size(), 1u) << "the first file fits and reaches the sink";
  EXPECT_NE(got.request.error().message.find("bytes left of the job's limit of 150000"), std::string::npos)
      << got.request.error().message;
}

TEST(PumpRequest, TruncatedStreamIsTruncated) {
  auto got = receive(item("CDIR", "/p") + argv_wire() + "NFIL00000002" + item("NAME", "/p/a.h") + item("FILE", lzo("x")));
  ASSERT_FALSE(got.request.ok());
  EXPECT_EQ(got.request.error().code, ExitCode::truncated);
  EXPECT_EQ(got.entries.size(), 1u);
}

TEST(PumpRequest, SinkErrorEndsTheRequest) {
  ScriptedPeer peer(item("CDIR", "/p") + argv_wire() + "NFIL00000002" + item("NAME", "/p/../x") + "LINK00000001y" +
                    item("NAME", "/p/b") + "LINK00000001z");
  ProtocolReader in(peer.fd(), kTimeout);
  int calls = 0;
  auto request = receive_pump_request(in, ProtocolLimits{}, [&](PumpEntry&& entry) -> Status {
    ++calls;
    return make_error(ExitCode::protocol_error, "refused " + entry.name);
  });
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().message, "refused /p/../x");
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace dcc
