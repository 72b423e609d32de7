// distccmon-text's output, byte for byte as distcc 3.4 prints it, so scripts that parse it
// (and people used to it) see no difference.
#pragma once

#include <span>
#include <string>

#include "tools/monitor/task_record.h"

namespace dcc::monitor {

// "%6ld  %-10.10s  %-30.30s %24.24s[%d]\n": pid, phase, file, host, slot. Columns are cut to
// their width, not widened, except pid and slot.
std::string format_task_line(const MonitorTask& task);

// Every job but the Done ones, in the given order, then a blank line that ends the block.
std::string format_block(std::span<const MonitorTask> tasks);

}  // namespace dcc::monitor
