// Where the .d file of a plain-mode job goes. The local preprocessor writes it, but it runs
// without the compile's -o, so left alone `-MD` would name the file and its target after the
// source (distcc 3.4's documented bug). We tell it the file and target a local compile would use,
// and have it write a temporary file that is renamed only when the whole job succeeds.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dcc {

struct DependencyPlan {
  std::string dep_file;                 // final path of the .d file
  bool target_given = false;            // -MT/-MQ on the command line
};

// nullopt when the command line asks for no dependency file (-MD/-MMD absent).
std::optional<DependencyPlan> plan_dependencies(const std::vector<std::string>& argv, const std::string& output);

// The preprocessor command line: `cpp_argv` with every -MF value replaced by `temp_dep_file`
// (or one added), and `-MQ <output>` added when no target was given.
std::vector<std::string> redirect_dependencies(const std::vector<std::string>& cpp_argv, const DependencyPlan& plan,
                                               const std::string& temp_dep_file, const std::string& output);

}  // namespace dcc
