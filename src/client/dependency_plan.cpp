#include "client/dependency_plan.h"

namespace dcc {
namespace {

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// gcc names the default .d after the output with its suffix replaced ("obj/a.o" -> "obj/a.d").
std::string default_dep_file(const std::string& output) {
  auto slash = output.rfind('/');
  auto dot = output.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return output + ".d";
  return output.substr(0, dot) + ".d";
}

}  // namespace

std::optional<DependencyPlan> plan_dependencies(const std::vector<std::string>& argv, const std::string& output) {
  bool wants = false;
  DependencyPlan plan;
  std::optional<std::string> mf;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-MD" || a == "-MMD") wants = true;
    else if (a == "-MF" && i + 1 < argv.size()) mf = argv[++i];
    else if (starts_with(a, "-MF")) mf = a.substr(3);
    else if (a == "-MT" || a == "-MQ") {
      plan.target_given = true;
      ++i;
    } else if (starts_with(a, "-MT") || starts_with(a, "-MQ")) plan.target_given = true;
  }
  if (!wants) return std::nullopt;
  plan.dep_file = mf.value_or(default_dep_file(output));
  return plan;
}

std::vector<std::string> redirect_dependencies(const std::vector<std::string>& cpp_argv, const DependencyPlan& plan,
                                               const std::string& temp_dep_file, const std::string& output) {
  std::vector<std::string> out;
  out.reserve(cpp_argv.size() + 4);
  for (std::size_t i = 0; i < cpp_argv.size(); ++i) {
    const std::string& a = cpp_argv[i];
    if (i > 0 && a == "-MF" && i + 1 < cpp_argv.size()) {
      ++i;
      continue;
    }
    if (i > 0 && starts_with(a, "-MF")) continue;
    out.push_back(a);
  }
  out.push_back("-MF");
  out.push_back(temp_dep_file);
  if (!plan.target_given) {
    out.push_back("-MQ");
    out.push_back(output);
  }
  return out;
}

}  // namespace dcc
