// The words the graphical monitor shows, decided without GTK: the window title, the cells of a
// row and the status bar, in distcc 3.4's distccmon-gnome wording.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "tools/monitor/slot_history.h"

namespace dcc::monitor {

// "distcc Monitor - USER@HOST", as 3.4.
std::string window_title(const std::string& user, const std::string& host);

struct RowCells {
  std::string host;
  std::string slot;
  std::string file;   // empty while the slot is idle
  std::string state;  // the phase name, or empty while idle
};
RowCells row_cells(const SlotRow& row);

// "Load average: 0.52, 0.41, 0.30", as 3.4; "Load average: unknown" when it cannot be read.
std::string load_average_text(const std::optional<std::array<double, 3>>& load);

// What the status bar says after a refresh: the load average, or why the state directory could
// not be read (the window stays open: the directory may become readable).
std::string status_text(const std::string& load_text, const std::optional<std::string>& scan_error);

}  // namespace dcc::monitor
