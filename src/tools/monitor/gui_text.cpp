#include "tools/monitor/gui_text.h"

#include <cstdio>

namespace dcc::monitor {

std::string window_title(const std::string& user, const std::string& host) {
  return "distcc Monitor - " + user + "@" + host;
}

RowCells row_cells(const SlotRow& row) {
  RowCells cells;
  cells.host = row.host;
  cells.slot = std::to_string(row.slot);
  if (row.current) {
    cells.file = row.current->file;
    cells.state = std::string(phase_name(row.current->phase));
  }
  return cells;
}

std::string load_average_text(const std::optional<std::array<double, 3>>& load) {
  if (!load) return "Load average: unknown";
  char text[96];
  std::snprintf(text, sizeof text, "Load average: %.2f, %.2f, %.2f", (*load)[0], (*load)[1],
                (*load)[2]);
  return text;
}

std::string status_text(const std::string& load_text,
                        const std::optional<std::string>& scan_error) {
  if (scan_error) return *scan_error;
  return load_text;
}

}  // namespace dcc::monitor
