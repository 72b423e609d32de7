// Test helper: a state record as a 3.4 client writes it (native layout, NUL-padded names), with
// full control over every field, including names that fill their arrays without a NUL.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "tools/monitor/task_record.h"

namespace dcc::test {

using monitor::kTaskRecordMagic;
using monitor::Phase;
using monitor::RawTaskRecord;

inline std::string record(unsigned long pid, unsigned phase, std::string_view file, std::string_view host, int slot) {
  RawTaskRecord raw;
  std::memset(&raw, 0, sizeof raw);
  raw.struct_size = sizeof raw;
  raw.magic = kTaskRecordMagic;
  raw.cpid = pid;
  std::memcpy(raw.file, file.data(), std::min(file.size(), sizeof raw.file));
  std::memcpy(raw.host, host.data(), std::min(host.size(), sizeof raw.host));
  raw.slot = slot;
  raw.curr_phase = phase;
  return std::string(reinterpret_cast<const char*>(&raw), sizeof raw);
}

inline std::string record(unsigned long pid, Phase phase, std::string_view file, std::string_view host, int slot) {
  return record(pid, static_cast<unsigned>(phase), file, host, slot);
}

}  // namespace dcc::test
