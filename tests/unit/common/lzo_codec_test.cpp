#include "common/lzo_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "../test_support.h"

namespace dcc {
namespace {

constexpr std::size_t kNoLimit = 512u << 20;

void expect_round_trip(const std::string& plain, std::size_t max_size = kNoLimit) {
  auto packed = lzo_compress(plain);
  ASSERT_TRUE(packed.ok()) << packed.error().message;
  auto unpacked = lzo_decompress(*packed, max_size);
  ASSERT_TRUE(unpacked.ok()) << unpacked.error().message;
  EXPECT_EQ(unpacked->size(), plain.size());
  EXPECT_TRUE(*unpacked == plain) << "contents differ after a round trip of " << plain.size()
                                  << " bytes";
}

TEST(LzoCodec, EmptyRoundTrip) { expect_round_trip(""); }

TEST(LzoCodec, OneByteRoundTrip) { expect_round_trip("x"); }

TEST(LzoCodec, TextRoundTripAndShrinks) {
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "static int counter_" + std::to_string(i % 37) + " = 0; /* comment */\n";
  expect_round_trip(text);
  auto packed = lzo_compress(text);
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size(), text.size() / 4);
}

TEST(LzoCodec, IncompressibleMegabyteRoundTrip) {
  std::string noise = test::random_bytes(1 << 20);
  expect_round_trip(noise);
  auto packed = lzo_compress(noise);
  ASSERT_TRUE(packed.ok());
  EXPECT_GT(packed->size(), noise.size());  // expands a little, within the documented bound
  EXPECT_LE(packed->size(), noise.size() + noise.size() / 16 + 64 + 3);
}

// Eight megabytes of zeros compress to a few tens of kilobytes, so decompression must grow its
// buffer far beyond the initial 8x guess.
TEST(LzoCodec, ZerosExpandFarBeyondEightTimes) {
  std::string zeros(8u << 20, '\0');
  auto packed = lzo_compress(zeros);
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size() * 8, zeros.size());
  expect_round_trip(zeros);
}

TEST(LzoCodec, OutputExactlyAtTheLimitIsAccepted) {
  std::string zeros(1u << 20, '\0');
  expect_round_trip(zeros, zeros.size());
}

TEST(LzoCodec, OutputBeyondTheLimitIsAProtocolError) {
  std::string zeros(1u << 20, '\0');
  auto packed = lzo_compress(zeros);
  ASSERT_TRUE(packed.ok());
  auto unpacked = lzo_decompress(*packed, zeros.size() - 1);
  ASSERT_FALSE(unpacked.ok());
  EXPECT_EQ(unpacked.error().code, ExitCode::protocol_error);
  EXPECT_NE(unpacked.error().message.find("limit of 1048575 bytes"), std::string::npos)
      << unpacked.error().message;
}

TEST(LzoCodec, SmallLimitAppliesToSmallInputsToo) {
  auto packed = lzo_compress(std::string(100, 'a'));
  ASSERT_TRUE(packed.ok());
  auto unpacked = lzo_decompress(*packed, 99);
  ASSERT_FALSE(unpacked.ok());
  EXPECT_EQ(unpacked.error().code, ExitCode::protocol_error);
}

TEST(LzoCodec, TruncatedInputIsCorrupt) {
  auto packed = lzo_compress(std::string(4000, 'z') + "end");
  ASSERT_TRUE(packed.ok());
  for (std::size_t cut : {std::size_t{1}, std::size_t{3}, packed->size() / 2}) {
    auto unpacked = lzo_decompress(packed->substr(0, packed->size() - cut), kNoLimit);
    ASSERT_FALSE(unpacked.ok()) << "cut " << cut;
    EXPECT_EQ(unpacked.error().code, ExitCode::protocol_error);
  }
}

TEST(LzoCodec, TrailingGarbageIsCorrupt) {
  auto packed = lzo_compress("hello, world");
  ASSERT_TRUE(packed.ok());
  auto unpacked = lzo_decompress(*packed + "junk", kNoLimit);
  ASSERT_FALSE(unpacked.ok());
  EXPECT_EQ(unpacked.error().code, ExitCode::protocol_error);
  EXPECT_NE(unpacked.error().message.find("corrupt LZO body"), std::string::npos)
      << unpacked.error().message;
}

TEST(LzoCodec, GarbageIsCorrupt) {
  for (const std::string& garbage : {std::string(16, '\xff'), std::string("\x00", 1),
                                     std::string("not lzo at all"), test::random_bytes(4096)}) {
    auto unpacked = lzo_decompress(garbage, kNoLimit);
    ASSERT_FALSE(unpacked.ok()) << "garbage of " << garbage.size() << " bytes";
    EXPECT_EQ(unpacked.error().code, ExitCode::protocol_error);
  }
}

TEST(LzoCodec, EmptyInputIsCorrupt) {
  // A bulk item of length 0 is never decompressed; an empty LZO stream lacks the end marker.
  auto unpacked = lzo_decompress("", kNoLimit);
  ASSERT_FALSE(unpacked.ok());
  EXPECT_EQ(unpacked.error().code, ExitCode::protocol_error);
}

TEST(LzoCodec, CompressionIsDeterministic) {
  std::string text = test::random_bytes(100000, 42) + std::string(100000, 'a');
  auto first = lzo_compress(text);
  auto second = lzo_compress(text);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(*first == *second);
}

}  // namespace
}  // namespace dcc
