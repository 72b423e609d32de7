// distccmon-gui's window (GTK 3): a list of host/slot rows with File, State and the coloured
// Tasks strip, refreshed every interval, and the load average in the status bar. Everything it
// shows is decided by the GTK-free code in tools/monitor (slot_history, phase_strip, gui_text);
// this file only puts it on screen.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace dcc::monitor {

struct GuiMonitorConfig {
  std::string program;    // the name to put in messages: distccmon-gui or distccmon-gnome
  std::string state_dir;  // where the clients' binstate_* files are
  std::chrono::milliseconds interval{500};
  std::optional<std::string> display;  // --display; none: GTK reads $DISPLAY
  std::string display_for_messages;    // what the error says could not be opened
};

// Opens the window and runs until it is closed: true. False when no display can be opened,
// after one line on stderr saying so.
bool run_gui_monitor(const GuiMonitorConfig& config);

}  // namespace dcc::monitor
