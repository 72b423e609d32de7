// The protocol token reader on its own: the input starts with a script of reads (one byte each,
// up to the first '|'), the rest is the stream. A script byte is token + 8 * operation; the
// operations are expect_token, expect_either (the token or the next one in the table),
// read_string, read_bulk (plain and LZO) and read_body (of the length the last header gave, as
// the pump request reader does after NAME). The script ends at the first failed read, as every
// caller stops at the first error.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/protocol.h"
#include "fuzz_support.h"

namespace {

constexpr std::array<std::string_view, 8> kTokens = {"DIST", "ARGC", "ARGV", "DOTI", "DONE", "NAME", "FILE", "LINK"};

struct Script {
  dcc::ProtocolReader& in;
  dcc::ProtocolLimits limits;
  std::uint32_t last_value = 0;

  bool step(std::uint8_t code) {
    std::string_view token = kTokens[code % kTokens.size()];
    std::string_view next = kTokens[(code + 1) % kTokens.size()];
    switch ((code / kTokens.size()) % 6) {
      case 0: return keep(in.expect_token(token));
      case 1: {
        auto head = in.expect_either(token, next);
        if (head && head->token != token && head->token != next) __builtin_trap();
        return head && keep(head->value);
      }
      case 2: return in.read_string(token, 4096).ok();
      case 3: return in.read_bulk(token, /*compressed=*/false, limits).ok();
      case 4: return in.read_bulk(token, /*compressed=*/true, limits).ok();
      default: return in.read_body(std::min<std::uint32_t>(last_value, 1u << 20), "body").ok();
    }
  }
  bool keep(const dcc::Result<std::uint32_t>& value) { return value && keep(*value); }
  bool keep(std::uint32_t value) {
    last_value = value;
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = dcc::fuzz::as_text(data, size);
  std::size_t bar = input.find('|');
  if (bar == std::string_view::npos) return 0;
  std::string_view stream = input.substr(bar + 1);
  dcc::UniqueFd fd = dcc::fuzz::stream_of(stream);
  if (!fd) return 0;
  dcc::ProtocolReader in(fd.get(), std::chrono::milliseconds(1000));
  Script script{in, dcc::ProtocolLimits{}};
  for (char c : input.substr(0, bar)) {
    if (!script.step(static_cast<std::uint8_t>(c))) break;
    if (in.bytes_read() > stream.size()) __builtin_trap();  // never counts more than was sent
  }
  return 0;
}
