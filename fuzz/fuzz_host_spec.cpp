// The host-list parser (DISTCC_HOSTS, ~/.distcc/hosts) on the fuzz input as the list's text.
#include <cstddef>
#include <cstdint>

#include "common/host_spec.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dcc;
  auto list = parse_hosts(fuzz::as_text(data, size), "fuzz input");
  if (!list) return 0;
  // Properties the rest of the client relies on: slots are bounded, so the sum cannot overflow.
  for (const auto& host : list->hosts) {
    if (host.slots < 0 || host.slots > kMaxSlots) __builtin_trap();
    if (host.kind == HostKind::tcp && (host.port <= 0 || host.port > 65535)) __builtin_trap();
    (void)host.protocol();
  }
  (void)total_slots(*list);
  return 0;
}
