#include "tools/distccmon-text/text_monitor.h"

#include <ctime>
#include <thread>

#include "tools/distccmon-text/text_format.h"
#include "tools/monitor/state_scan.h"

namespace dcc::monitor {

ExitCode run_text_monitor(const TextMonitorConfig& config, std::FILE* out, std::FILE* err) {
  for (;;) {
    auto scan = scan_state_dir(config.state_dir, std::time(nullptr), process_exists);
    if (!scan) {
      std::fprintf(err, "distccmon-text: %s\n", scan.error().message.c_str());
      return scan.error().code;
    }
    for (const auto& warning : scan->warnings) std::fprintf(err, "distccmon-text: warning: %s\n", warning.c_str());
    std::string block = format_block(scan->tasks);
    if (std::fputs(block.c_str(), out) == EOF || std::fflush(out) == EOF) return ExitCode::io_error;
    if (config.delay.count() == 0) return ExitCode::ok;
    std::this_thread::sleep_for(config.delay);
  }
}

}  // namespace dcc::monitor
