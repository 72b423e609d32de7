#include "common/pump_request.h"

#include <gtest/gtest.h>

#include <map>
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

// ---------------------------------------------------------------- the header-cache extension

// The client and the server of one kProtocolPumpHeaderCache request over a socketpair; the
// server's cache is a map from digest to LZO body.
struct CachedExchange {
  std::map<Sha256Digest, std::string> cache;
  std::vector<PumpEntry> received;
  std::vector<Sha256Digest> stored;
  Result<HeaderCacheTraffic> client = make_error(ExitCode::distcc_failed, "not run");
  Result<PumpRequest> server = make_error(ExitCode::distcc_failed, "not run");
  HeaderCacheTraffic server_traffic;

  void run(const PumpRequest& request) {
    auto pair = test::make_socket_pair();
    ASSERT_TRUE(set_nonblocking(pair.a.get()).ok());
    ASSERT_TRUE(set_nonblocking(pair.b.get()).ok());
    std::thread client_side([&] {
      ProtocolWriter out(pair.a.get(), kTimeout);
      ProtocolReader in(pair.a.get(), kTimeout);
      client = send_pump_request_offering_hashes(out, in, request);
      ::shutdown(pair.a.get(), SHUT_WR);
    });
    ProtocolReader in(pair.b.get(), kTimeout);
    ProtocolWriter out(pair.b.get(), kTimeout);
    auto version = receive_request_version(in, /*accept_pump=*/true);
    ASSERT_TRUE(version.ok()) << version.error().message;
    EXPECT_EQ(*version, kProtocolPumpHeaderCache);
    PumpHeaderCache hooks{
        .out = out,
        .fetch = [&](const Sha256Digest& d) -> std::optional<std::string> {
          auto it = cache.find(d);
          return it == cache.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        .store = [&](const Sha256Digest& d, std::string_view body) {
          stored.push_back(d);
          cache[d] = std::string(body);
        },
        .traffic = {}};
    server = receive_pump_request(in, ProtocolLimits{}, [&](PumpEntry&& e) -> Status {
      received.push_back(std::move(e));
      return {};
    }, hooks);
    server_traffic = hooks.traffic;
    pair.b.reset();  // a client still waiting for NEED sees the end
    client_side.join();
  }
};

std::string header_text(int n) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "static inline int header" + std::to_string(n) + "_f" + std::to_string(i) + "(void);\n";
  return text;
}

PumpRequest request_with_headers() {
  PumpRequest request;
  request.cwd = "/src";
  request.argv = kArgv;
  request.entries.push_back({PumpEntry::Kind::file, "/src/hello.c", header_text(0)});
  request.entries.push_back({PumpEntry::Kind::link, "/src/inc", "include"});
  request.entries.push_back({PumpEntry::Kind::file, "/src/include/a.h", header_text(1)});
  request.entries.push_back({PumpEntry::Kind::file, "/src/tiny.h", "int t;\n"});  // too small to offer
  request.entries.push_back({PumpEntry::Kind::file, "/src/include/b.h", header_text(2)});
  // An include server's copy arrives already compressed and is offered as it is.
  request.entries.push_back({PumpEntry::Kind::file, "/src/include/c.h", lzo(header_text(3)), true});
  return request;
}

void expect_same_files(const PumpRequest& sent, const std::vector<PumpEntry>& received) {
  ASSERT_EQ(received.size(), sent.entries.size());
  std::map<std::string, const PumpEntry*> by_name;
  for (const auto& e : received) by_name[e.name] = &e;
  for (const auto& e : sent.entries) {
    ASSERT_TRUE(by_name.count(e.name)) << e.name;
    std::string plain = e.compressed ? *lzo_decompress(e.data, 1 << 20) : e.data;
    EXPECT_EQ(by_name[e.name]->data, plain) << e.name;
    EXPECT_EQ(by_name[e.name]->kind, e.kind) << e.name;
  }
}

TEST(PumpHeaderCache, FirstJobUploadsEverythingOfferedAndTheSecondNothing) {
  PumpRequest request = request_with_headers();
  CachedExchange first;
  first.run(request);
  ASSERT_TRUE(first.client.ok()) << first.client.error().message;
  ASSERT_TRUE(first.server.ok()) << first.server.error().message;
  EXPECT_EQ(first.client->offered, 4u);  // hello.c, a.h, b.h, c.h; not the link, not tiny.h
  EXPECT_EQ(first.client->needed, 4u);
  EXPECT_EQ(first.server_traffic.offered, 4u);
  EXPECT_EQ(first.stored.size(), 4u);
  expect_same_files(request, first.received);
  EXPECT_EQ(first.server->cwd, "/src");
  EXPECT_EQ(first.server->argv, kArgv);

  CachedExchange second;
  second.cache = first.cache;
  second.run(request);
  ASSERT_TRUE(second.server.ok()) << second.server.error().message;
  EXPECT_EQ(second.client->needed, 0u);
  EXPECT_TRUE(second.stored.empty());
  expect_same_files(request, second.received);
}

TEST(PumpHeaderCache, OnlyTheMissingFilesAreAskedFor) {
  PumpRequest request = request_with_headers();
  CachedExchange exchange;
  auto body = lzo(header_text(2));
  exchange.cache[sha256(body)] = body;  // b.h is there
  exchange.run(request);
  ASSERT_TRUE(exchange.server.ok()) << exchange.server.error().message;
  EXPECT_EQ(exchange.client->needed, 3u);
  expect_same_files(request, exchange.received);
}

TEST(PumpHeaderCache, ChangedFileHasANewHashAndIsSentAgain) {
  PumpRequest request = request_with_headers();
  CachedExchange first;
  first.run(request);
  request.entries[2].data += "int added_later;\n";
  CachedExchange second;
  second.cache = first.cache;
  second.run(request);
  ASSERT_TRUE(second.server.ok()) << second.server.error().message;
  EXPECT_EQ(second.client->needed, 1u);
  expect_same_files(request, second.received);
}

// The wire of an extended request up to its entries, for servers fed a script.
std::string extended_head(std::uint32_t files) {
  return item("CDIR", "/src") + argv_wire() + "NFIL" + hex8(files);
}

std::string digest_string(const Sha256Digest& d) { return std::string(d.begin(), d.end()); }

std::string manifest(const std::string& items) { return item("MANI", lzo(items)); }

Result<PumpRequest> serve_script(const std::string& wire, std::vector<Sha256Digest>* stored = nullptr,
                                 const ProtocolLimits& limits = {}) {
  ScriptedPeer peer(wire);
  ProtocolReader in(peer.fd(), kTimeout);
  ProtocolWriter out(peer.fd(), kTimeout);
  PumpHeaderCache hooks{.out = out,
                        .fetch = [](const Sha256Digest&) -> std::optional<std::string> { return std::nullopt; },
                        .store = [&](const Sha256Digest& d, std::string_view) {
                          if (stored) stored->push_back(d);
                        },
                        .traffic = {}};
  return receive_pump_request(in, limits, [](PumpEntry&&) -> Status { return {}; }, hooks);
}

TEST(PumpHeaderCache, UploadThatDoesNotMatchItsOfferIsRefusedAndNotCached) {
  std::string offered = lzo(header_text(1));
  std::string other = lzo(header_text(2));
  std::vector<Sha256Digest> stored;
  auto result = serve_script(
      manifest(extended_head(1) + item("NAME", "/src/a.h") + item("FHSH", digest_string(sha256(offered)))) +
          item("FILE", other),
      &stored);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ExitCode::protocol_error);
  EXPECT_NE(result.error().message.find("does not match the SHA-256"), std::string::npos) << result.error().message;
  EXPECT_TRUE(stored.empty());
}

TEST(PumpHeaderCache, HashOfTheWrongSizeIsRefused) {
  auto result = serve_script(manifest(extended_head(1) + item("NAME", "/src/a.h") + item("FHSH", std::string(31, 'x'))));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("a SHA-256 has 32"), std::string::npos) << result.error().message;
}

TEST(PumpHeaderCache, ManifestMustEndWithItsLastEntry) {
  auto result = serve_script(manifest(extended_head(1) + item("NAME", "/src/a.h") + item("FILE", "") + "NAME0000"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("MANI has bytes after its last entry"), std::string::npos)
      << result.error().message;
}

TEST(PumpHeaderCache, ManifestThatEndsEarlyIsTruncated) {
  auto result = serve_script(manifest(extended_head(2) + item("NAME", "/src/a.h") + item("FILE", "")));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ExitCode::truncated) << result.error().message;
}

TEST(PumpHeaderCache, ManifestIsBoundedWhenDecompressed) {
  ProtocolLimits limits;
  limits.max_pump_manifest = 1000;
  auto result = serve_script(manifest(extended_head(1) + item("NAME", "/src/" + std::string(2000, 'a')) + item("FILE", "")),
                             nullptr, limits);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("MANI"), std::string::npos) << result.error().message;
}

TEST(PumpHeaderCache, ExtendedRequestWithoutManifestIsADerailment) {
  auto result = serve_script(extended_head(0));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("expected token MANI"), std::string::npos) << result.error().message;
}

TEST(PumpHeaderCache, PlainProtocolThreeDoesNotAcceptOffers) {
  auto got = receive(item("CDIR", "/src") + argv_wire() + "NFIL00000001" + item("NAME", "/src/a.h") +
                     item("FHSH", std::string(32, 'x')));
  ASSERT_FALSE(got.request.ok());
  EXPECT_NE(got.request.error().message.find("derailment"), std::string::npos) << got.request.error().message;
}

// The client checks the server's NEED list as strictly as the server checks the request.
Result<HeaderCacheTraffic> client_against(const std::string& server_answer) {
  PumpRequest request = request_with_headers();
  ScriptedPeer peer(server_answer);
  ProtocolWriter out(peer.fd(), kTimeout);
  ProtocolReader in(peer.fd(), kTimeout);
  return send_pump_request_offering_hashes(out, in, request);
}

TEST(PumpHeaderCache, ClientRefusesANeedListItCannotHonour) {
  auto too_many = client_against("NEED00000009");
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().message.find("asked for 9 files of the 4 offered"), std::string::npos);
  auto link = client_against("NEED00000001FIDX00000001");  // entry 1 is the link
  ASSERT_FALSE(link.ok());
  EXPECT_NE(link.error().message.find("not offered"), std::string::npos) << link.error().message;
  auto backwards = client_against("NEED00000002FIDX00000004FIDX00000002");
  ASSERT_FALSE(backwards.ok());
  auto fine = client_against("NEED00000002FIDX00000002FIDX00000005");
  ASSERT_TRUE(fine.ok()) << fine.error().message;
  EXPECT_EQ(fine->needed, 2u);
}

}  // namespace
}  // namespace dcc
