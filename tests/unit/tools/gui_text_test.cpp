#include "tools/monitor/gui_text.h"

#include <gtest/gtest.h>

namespace dcc::monitor {
namespace {

TEST(GuiText, WindowTitleAs34) {
  EXPECT_EQ(window_title("ann", "build1"), "distcc Monitor - ann@build1");
}

TEST(GuiText, CellsOfABusyRow) {
  SlotRow row;
  row.host = "10.0.0.5";
  row.slot = 3;
  MonitorTask task;
  task.file = "parser.cpp";
  task.phase = Phase::preprocess;
  row.current = task;
  RowCells cells = row_cells(row);
  EXPECT_EQ(cells.host, "10.0.0.5");
  EXPECT_EQ(cells.slot, "3");
  EXPECT_EQ(cells.file, "parser.cpp");
  EXPECT_EQ(cells.state, "Preprocess");
}

TEST(GuiText, CellsOfAnIdleRowNameOnlyTheSlot) {
  SlotRow row;
  row.host = "localhost";
  row.slot = -1;
  RowCells cells = row_cells(row);
  EXPECT_EQ(cells.host, "localhost");
  EXPECT_EQ(cells.slot, "-1");
  EXPECT_EQ(cells.file, "");
  EXPECT_EQ(cells.state, "");
}

TEST(GuiText, LoadAverageAs34) {
  EXPECT_EQ(load_average_text(std::array<double, 3>{0.5, 1.234, 12.0}),
            "Load average: 0.50, 1.23, 12.00");
  EXPECT_EQ(load_average_text(std::nullopt), "Load average: unknown");
}

TEST(GuiText, StatusShowsTheScanErrorInsteadOfTheLoad) {
  EXPECT_EQ(status_text("Load average: 1.00, 1.00, 1.00", std::nullopt),
            "Load average: 1.00, 1.00, 1.00");
  EXPECT_EQ(status_text("Load average: 1.00, 1.00, 1.00",
                        std::string("cannot read /x/state: Permission denied")),
            "cannot read /x/state: Permission denied");
}

}  // namespace
}  // namespace dcc::monitor
