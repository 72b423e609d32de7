// The colours of the graphical monitor's history strip and the strip itself as plain RGB pixels,
// so what the window shows is decided (and tested) without GTK. Each phase has its own strong
// colour, far from any grey a desktop theme draws, so a screenshot shows which phases are on
// screen (the end-to-end test looks for them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "tools/monitor/slot_history.h"

namespace dcc::monitor {

struct Rgb {
  std::uint8_t red = 0;
  std::uint8_t green = 0;
  std::uint8_t blue = 0;
  bool operator==(const Rgb&) const = default;
};

// Startup grey, Blocked dark red, Connect purple, Preprocess yellow, Send blue, Compile green,
// Receive orange; Done is drawn as idle.
Rgb phase_colour(Phase phase);
inline constexpr Rgb kIdleColour{0xf4, 0xf4, 0xf4};  // a slot with no job: near-white
Rgb sample_colour(const Sample& sample);

// "#rrggbb", for documentation and the tests' pixel search.
std::string hex_colour(Rgb colour);

// The strip of one row: `width` columns, one per sample, the newest on the right; a history
// shorter than the width is padded with idle on the left, a longer one shows its newest
// `width` samples. Packed RGB, 3 bytes a pixel, rows top to bottom, `height` equal rows.
std::vector<std::uint8_t> render_strip(const std::deque<Sample>& history, std::size_t width,
                                       std::size_t height);

}  // namespace dcc::monitor
