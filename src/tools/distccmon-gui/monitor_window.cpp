#include "tools/distccmon-gui/monitor_window.h"

#include <gtk/gtk.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tools/monitor/gui_text.h"
#include "tools/monitor/phase_strip.h"
#include "tools/monitor/slot_history.h"
#include "tools/monitor/state_scan.h"

namespace dcc::monitor {
namespace {

enum Column { kHost, kSlot, kFile, kState, kTasks, kColumnCount };

constexpr int kStripHeight = 12;
constexpr guint kLoadRefreshSeconds = 2;  // as 3.4
constexpr int kWindowWidth = 640;         // 3.4's 500 cuts the 200-sample strip off
constexpr int kWindowHeight = 300;

struct GObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
using PixbufPtr = std::unique_ptr<GdkPixbuf, GObjectUnref>;
using ListStorePtr = std::unique_ptr<GtkListStore, GObjectUnref>;

// Everything the timers and signal handlers need; lives on run_gui_monitor's stack for as long
// as the main loop runs.
struct MonitorWindow {
  const GuiMonitorConfig* config = nullptr;
  SlotHistory history;
  ListStorePtr store;
  GtkStatusbar* status_bar = nullptr;
  guint status_context = 0;
  std::string load_text = load_average_text(std::nullopt);
  std::optional<std::string> scan_error;
  // The warnings of the last scan: each is printed when it first appears, not twice a second.
  std::set<std::string> warned;
  guint refresh_source = 0;
  guint load_source = 0;
};

PixbufPtr strip_pixbuf(const std::deque<Sample>& history, std::size_t width) {
  PixbufPtr pixbuf(
      gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, static_cast<int>(width), kStripHeight));
  std::vector<std::uint8_t> pixels = render_strip(history, width, kStripHeight);
  const int stride = gdk_pixbuf_get_rowstride(pixbuf.get());
  guchar* target = gdk_pixbuf_get_pixels(pixbuf.get());
  for (int y = 0; y < kStripHeight; ++y)
    std::memcpy(target + y * stride, pixels.data() + y * width * 3, width * 3);
  return pixbuf;
}

void show_rows(MonitorWindow& window) {
  GtkTreeModel* model = GTK_TREE_MODEL(window.store.get());
  const auto& rows = window.history.rows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    GtkTreeIter iter;
    if (!gtk_tree_model_iter_nth_child(model, &iter, nullptr, static_cast<gint>(i)))
      gtk_list_store_append(window.store.get(), &iter);
    RowCells cells = row_cells(rows[i]);
    PixbufPtr strip = strip_pixbuf(rows[i].history, window.history.capacity());
    gtk_list_store_set(window.store.get(), &iter, kHost, cells.host.c_str(), kSlot,
                       cells.slot.c_str(), kFile, cells.file.c_str(), kState, cells.state.c_str(),
                       kTasks, strip.get(), -1);
  }
  GtkTreeIter surplus;
  while (gtk_tree_model_iter_nth_child(model, &surplus, nullptr, static_cast<gint>(rows.size()))) {
    gtk_list_store_remove(window.store.get(), &surplus);
  }
}

void show_status(MonitorWindow& window) {
  gtk_statusbar_remove_all(window.status_bar, window.status_context);
  gtk_statusbar_push(window.status_bar, window.status_context,
                     status_text(window.load_text, window.scan_error).c_str());
}

gboolean refresh(gpointer data) {
  auto& window = *static_cast<MonitorWindow*>(data);
  auto scan = scan_state_dir(window.config->state_dir, std::time(nullptr), process_exists);
  if (scan) {
    window.scan_error.reset();
    std::set<std::string> warnings(scan->warnings.begin(), scan->warnings.end());
    for (const auto& warning : warnings) {
      if (!window.warned.contains(warning))
        std::fprintf(stderr, "%s: warning: %s\n", window.config->program.c_str(), warning.c_str());
    }
    window.warned = std::move(warnings);
    window.history.record(scan->tasks);
  } else {
    window.scan_error = scan.error().message;
    window.history.record({});
  }
  show_rows(window);
  show_status(window);
  return G_SOURCE_CONTINUE;
}

gboolean refresh_load(gpointer data) {
  auto& window = *static_cast<MonitorWindow*>(data);
  double load[3];
  std::optional<std::array<double, 3>> value;
  if (getloadavg(load, 3) == 3) value = std::array<double, 3>{load[0], load[1], load[2]};
  window.load_text = load_average_text(value);
  show_status(window);
  return G_SOURCE_CONTINUE;
}

void on_destroy(GtkWidget*, gpointer data) {
  auto& window = *static_cast<MonitorWindow*>(data);
  // The timers must not touch the widgets being destroyed before the loop returns.
  g_source_remove(window.refresh_source);
  g_source_remove(window.load_source);
  gtk_main_quit();
}

void add_text_column(GtkTreeView* view, const char* title, Column column) {
  GtkCellRenderer* renderer = gtk_cell_renderer_text_new();
  gtk_tree_view_insert_column_with_attributes(view, -1, title, renderer, "text", column, nullptr);
}

GtkWidget* build_window(MonitorWindow& window) {
  GtkWidget* top = gtk_window_new(GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title(GTK_WINDOW(top), window_title(g_get_user_name(), g_get_host_name()).c_str());
  gtk_window_set_default_size(GTK_WINDOW(top), kWindowWidth, kWindowHeight);
  window.store.reset(gtk_list_store_new(kColumnCount, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                        G_TYPE_STRING, GDK_TYPE_PIXBUF));
  GtkWidget* view = gtk_tree_view_new_with_model(GTK_TREE_MODEL(window.store.get()));
  add_text_column(GTK_TREE_VIEW(view), "Host", kHost);
  add_text_column(GTK_TREE_VIEW(view), "Slot", kSlot);
  add_text_column(GTK_TREE_VIEW(view), "File", kFile);
  add_text_column(GTK_TREE_VIEW(view), "State", kState);
  GtkCellRenderer* strip = gtk_cell_renderer_pixbuf_new();
  gtk_cell_renderer_set_alignment(strip, 0.0F, 0.5F);  // the strip starts at the column's left edge
  gtk_tree_view_insert_column_with_attributes(GTK_TREE_VIEW(view), -1, "Tasks", strip, "pixbuf",
                                              kTasks, nullptr);
  GtkWidget* scroller = gtk_scrolled_window_new(nullptr, nullptr);
  gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scroller), GTK_POLICY_AUTOMATIC,
                                 GTK_POLICY_AUTOMATIC);
  gtk_container_add(GTK_CONTAINER(scroller), view);
  GtkWidget* status = gtk_statusbar_new();
  window.status_bar = GTK_STATUSBAR(status);
  window.status_context = gtk_statusbar_get_context_id(window.status_bar, "load");
  GtkWidget* box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_pack_start(GTK_BOX(box), scroller, TRUE, TRUE, 0);
  gtk_box_pack_start(GTK_BOX(box), status, FALSE, FALSE, 0);
  gtk_container_add(GTK_CONTAINER(top), box);
  return top;
}

bool open_display(const GuiMonitorConfig& config) {
  // GTK takes the display from its own command line; hand it only what we parsed.
  std::vector<std::string> words{config.program};
  if (config.display) words.insert(words.end(), {"--display", *config.display});
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(words.size());
  char** argv_data = argv.data();
  return gtk_init_check(&argc, &argv_data);
}

}  // namespace

bool run_gui_monitor(const GuiMonitorConfig& config) {
  if (!open_display(config)) {
    if (config.display_for_messages.empty()) {
      std::fprintf(stderr, "%s: cannot open a display: DISPLAY is not set (or use --display)\n",
                   config.program.c_str());
    } else {
      std::fprintf(stderr, "%s: cannot open display '%s'\n", config.program.c_str(),
                   config.display_for_messages.c_str());
    }
    return false;
  }
  MonitorWindow window;
  window.config = &config;
  GtkWidget* top = build_window(window);
  refresh_load(&window);
  refresh(&window);
  window.refresh_source =
      g_timeout_add(static_cast<guint>(config.interval.count()), refresh, &window);
  window.load_source = g_timeout_add_seconds(kLoadRefreshSeconds, refresh_load, &window);
  g_signal_connect(top, "destroy", G_CALLBACK(on_destroy), &window);
  gtk_widget_show_all(top);
  gtk_main();
  return true;
}

}  // namespace dcc::monitor
