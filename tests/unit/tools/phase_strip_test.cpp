#include "tools/monitor/phase_strip.h"

#include <gtest/gtest.h>

#include <set>

namespace dcc::monitor {
namespace {

Rgb pixel(const std::vector<std::uint8_t>& pixels, std::size_t width, std::size_t x,
          std::size_t y) {
  std::size_t at = (y * width + x) * 3;
  return {pixels[at], pixels[at + 1], pixels[at + 2]};
}

TEST(PhaseStrip, EveryPhaseBeforeDoneHasItsOwnColourDistinctFromIdle) {
  std::set<std::string> seen{hex_colour(kIdleColour)};
  for (unsigned p = 0; p < static_cast<unsigned>(Phase::done); ++p) {
    EXPECT_TRUE(seen.insert(hex_colour(phase_colour(static_cast<Phase>(p)))).second)
        << "phase " << p;
  }
  EXPECT_EQ(phase_colour(Phase::done), kIdleColour);
}

TEST(PhaseStrip, ColoursThatTheEndToEndTestLooksFor) {
  // tests/e2e/test_monitor_gui.sh searches screenshots for these two.
  EXPECT_EQ(hex_colour(phase_colour(Phase::compile)), "#2e7d32");
  EXPECT_EQ(hex_colour(phase_colour(Phase::connect)), "#7b1fa2");
}

TEST(PhaseStrip, SampleColourOfIdleAndOfAPhase) {
  EXPECT_EQ(sample_colour(std::nullopt), kIdleColour);
  EXPECT_EQ(sample_colour(Phase::send), phase_colour(Phase::send));
}

TEST(PhaseStrip, ShortHistoryIsPaddedWithIdleOnTheLeftNewestOnTheRight) {
  std::deque<Sample> history{Phase::preprocess, Phase::compile};
  auto pixels = render_strip(history, 4, 2);
  ASSERT_EQ(pixels.size(), 4u * 2u * 3u);
  for (std::size_t y = 0; y < 2; ++y) {
    EXPECT_EQ(pixel(pixels, 4, 0, y), kIdleColour);
    EXPECT_EQ(pixel(pixels, 4, 1, y), kIdleColour);
    EXPECT_EQ(pixel(pixels, 4, 2, y), phase_colour(Phase::preprocess));
    EXPECT_EQ(pixel(pixels, 4, 3, y), phase_colour(Phase::compile));
  }
}

TEST(PhaseStrip, LongHistoryShowsItsNewestSamples) {
  std::deque<Sample> history{Phase::connect, Phase::send, std::nullopt, Phase::receive};
  auto pixels = render_strip(history, 2, 1);
  EXPECT_EQ(pixel(pixels, 2, 0, 0), kIdleColour);
  EXPECT_EQ(pixel(pixels, 2, 1, 0), phase_colour(Phase::receive));
}

TEST(PhaseStrip, EmptySizes) {
  EXPECT_TRUE(render_strip({}, 0, 5).empty());
  EXPECT_TRUE(render_strip({Phase::compile}, 5, 0).empty());
}

}  // namespace
}  // namespace dcc::monitor
