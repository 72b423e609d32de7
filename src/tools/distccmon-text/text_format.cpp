#include "tools/distccmon-text/text_format.h"

#include <cstdio>

namespace dcc::monitor {

std::string format_task_line(const MonitorTask& task) {
  // Widest line: 20 (pid) + 2 + 10 + 2 + 30 + 1 + 24 + 1 + 11 (slot) + 2.
  char line[128];
  std::string phase(phase_name(task.phase));
  int n = std::snprintf(line, sizeof line, "%6ld  %-10.10s  %-30.30s %24.24s[%d]\n",
                        static_cast<long>(task.pid), phase.c_str(), task.file.c_str(),
                        task.host.c_str(), task.slot);
  return std::string(line, static_cast<std::size_t>(n));
}

std::string format_block(std::span<const MonitorTask> tasks) {
  std::string block;
  for (const auto& task : tasks) {
    if (task.phase != Phase::done) block += format_task_line(task);
  }
  block += '\n';
  return block;
}

}  // namespace dcc::monitor
