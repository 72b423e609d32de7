#include "common/include_server_protocol.h"

#include <gtest/gtest.h>

#include "../test_support.h"

namespace dcc {
namespace {

using test::ScriptedPeer;
using test::wire_of;

constexpr Millis kTimeout{5000};

TEST(IncludeServerProtocol, QueryIsCdirThenTheCommand) {
  std::string wire = wire_of([](ProtocolWriter& out) {
    ASSERT_TRUE(send_include_query(out, IncludeQuery{"/p", {"gcc", "-c", "a.c"}}).ok());
  });
  EXPECT_EQ(wire, "CDIR00000002/pARGC00000003ARGV00000003gccARGV00000002-cARGV00000003a.c");
  ScriptedPeer peer(wire);
  ProtocolReader in(peer.fd(), kTimeout);
  auto query = receive_include_query(in, ProtocolLimits{});
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->cwd, "/p");
  EXPECT_EQ(query->argv, (std::vector<std::string>{"gcc", "-c", "a.c"}));
}

TEST(IncludeServerProtocol, AnswerRoundTripsIncludingTheEmptyGiveUp) {
  for (const std::vector<std::string>& paths :
       {std::vector<std::string>{}, std::vector<std::string>{"/dev/shm/x/y/p/a.c.lzo", "/dev/shm/x/y/p/inc"}}) {
    std::string wire = wire_of([&](ProtocolWriter& out) { ASSERT_TRUE(send_include_answer(out, paths).ok()); });
    ScriptedPeer peer(wire);
    ProtocolReader in(peer.fd(), kTimeout);
    auto answer = receive_include_answer(in, ProtocolLimits{});
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(*answer, paths);
  }
}

TEST(IncludeServerProtocol, AnswerWithTooManyFilesIsRefused) {
  ScriptedPeer peer("ARGCffffffff");
  ProtocolReader in(peer.fd(), kTimeout);
  auto answer = receive_include_answer(in, ProtocolLimits{});
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("more than the limit"), std::string::npos);
}

TEST(OriginalClientPath, StripsTheThreeComponentClientRootAndTheCopySuffixes) {
  EXPECT_EQ(original_client_path("/dev/shm/tmpX.include_server-1-2/home/u/a.h.lzo"), "/home/u/a.h");
  EXPECT_EQ(original_client_path("/tmp/tmpX/padding/home/u/a.h.lzo.abs"), "/home/u/a.h");
  EXPECT_EQ(original_client_path("/tmp/tmpX/padding/home/u/inc"), "/home/u/inc");
  EXPECT_EQ(original_client_path("/a/b/c"), "/a/b/c");
}

TEST(IsCompressedCopy, OnlyLzoAndLzoAbs) {
  EXPECT_TRUE(is_compressed_copy("/r/o/o/a.h.lzo"));
  EXPECT_TRUE(is_compressed_copy("/r/o/o/a.h.lzo.abs"));
  EXPECT_FALSE(is_compressed_copy("/r/o/o/a.h"));
  EXPECT_FALSE(is_compressed_copy("/r/o/o/forcing_technique_271828"));
}

}  // namespace
}  // namespace dcc
