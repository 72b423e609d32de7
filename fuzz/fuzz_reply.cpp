// The client's reply parser. The first input byte chooses the protocol version the client
// expects (0-3); the rest is the stream the server sent (DONE, STAT, SERR, SOUT, DOTO, DOTD).
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "common/protocol.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dcc;
  if (size == 0) return 0;
  std::uint32_t version = data[0] % 4;
  UniqueFd fd = fuzz::stream_of(fuzz::as_text(data + 1, size - 1));
  if (!fd) return 0;
  ProtocolReader in(fd.get(), std::chrono::milliseconds(1000));
  auto reply = receive_reply(in, version, ProtocolLimits{});
  if (reply && reply->wait_status != 0 && !reply->object.empty()) __builtin_trap();  // refused by the parser
  return 0;
}
