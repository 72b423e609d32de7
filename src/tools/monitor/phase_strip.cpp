#include "tools/monitor/phase_strip.h"

#include <algorithm>
#include <cstdio>

namespace dcc::monitor {

Rgb phase_colour(Phase phase) {
  switch (phase) {
    case Phase::startup:
      return {0x9e, 0x9e, 0x9e};
    case Phase::blocked:
      return {0xb7, 0x1c, 0x1c};
    case Phase::connect:
      return {0x7b, 0x1f, 0xa2};
    case Phase::preprocess:
      return {0xfb, 0xc0, 0x2d};
    case Phase::send:
      return {0x1e, 0x88, 0xe5};
    case Phase::compile:
      return {0x2e, 0x7d, 0x32};
    case Phase::receive:
      return {0xef, 0x6c, 0x00};
    case Phase::done:
      return kIdleColour;
  }
  return phase_colour(Phase::compile);  // decode_task_record maps unknown phases to Compile too
}

Rgb sample_colour(const Sample& sample) { return sample ? phase_colour(*sample) : kIdleColour; }

std::string hex_colour(Rgb colour) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", colour.red, colour.green, colour.blue);
  return text;
}

std::vector<std::uint8_t> render_strip(const std::deque<Sample>& history, std::size_t width,
                                       std::size_t height) {
  std::vector<std::uint8_t> pixels;
  pixels.reserve(width * height * 3);
  std::vector<std::uint8_t> row;
  row.reserve(width * 3);
  const std::size_t shown = std::min(width, history.size());
  const std::size_t padding = width - shown;
  for (std::size_t x = 0; x < width; ++x) {
    Rgb colour =
        x < padding ? kIdleColour : sample_colour(history[history.size() - shown + (x - padding)]);
    row.insert(row.end(), {colour.red, colour.green, colour.blue});
  }
  for (std::size_t y = 0; y < height; ++y) pixels.insert(pixels.end(), row.begin(), row.end());
  return pixels;
}

}  // namespace dcc::monitor
