#include "pump/scan_report.h"

namespace dcc::pump {
namespace {

void line(std::string& out, const char* category, const std::string& path) {
  std::string padded = category;
  padded.resize(10, ' ');
  out += padded + path + "\n";
}

}  // namespace

std::string format_scan_report(const IncludeAnalysis& analysis) {
  std::string out;
  for (const auto& dir : analysis.system_dirs) line(out, "SYSTEMDIR", dir);
  for (const auto& dir : analysis.directories) line(out, "DIRECTORY", dir);
  for (const auto& link : analysis.symlinks) line(out, "SYMLINK", link.path);
  for (const auto& file : analysis.files) line(out, "FILE", file);
  return out;
}

}  // namespace dcc::pump
