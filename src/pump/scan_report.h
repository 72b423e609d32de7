// `distcc --scan-includes` output, as distcc 3.4 prints it: one "CATEGORY path" per line, the
// category (FILE, SYMLINK, DIRECTORY, SYSTEMDIR) padded to ten columns.
#pragma once

#include <string>

#include "pump/include_analyzer.h"

namespace dcc::pump {

std::string format_scan_report(const IncludeAnalysis& analysis);

}  // namespace dcc::pump
