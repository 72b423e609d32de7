#include "client/compiler_rewrite.h"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <utility>

namespace dcc {
namespace {

constexpr std::string_view kAlternativesDir = "/etc/alternatives/";
constexpr int kMaxAlternativesHops = 8;  // alternatives never chain deeper; stops loops

bool has_prefix_dash(std::string_view name, std::string_view base) {
  return name.size() > base.size() + 1 && name.starts_with(base) && name[base.size()] == '-';
}

// `base` itself or `base-<suffix>` (gcc-12, clang++-14).
bool is_name_or_versioned(std::string_view name, std::string_view base) {
  return name == base || has_prefix_dash(name, base);
}

// Where the symlink at `link` points, as a lexically normal absolute path when `link` is one.
std::string resolve_target(const std::string& link, const std::string& target) {
  namespace fs = std::filesystem;
  const fs::path target_path(target);
  if (target_path.is_absolute()) return target_path.lexically_normal().string();
  return (fs::path(link).parent_path() / target_path).lexically_normal().string();
}

// Rule 1: what `cc` / `c++` really is, following the link found on PATH and then any links
// inside /etc/alternatives (Debian: /usr/bin/cc -> /etc/alternatives/cc -> /usr/bin/gcc). Like
// 3.4 it stops at the first target outside /etc/alternatives, so /usr/bin/gcc -> gcc-12 still
// counts as gcc.
std::optional<std::string> generic_compiler_target(const std::string& name, const RewriteEnv& env) {
  const std::optional<std::string> found = env.find_on_path(name);
  if (!found) return std::nullopt;
  std::optional<std::string> target = env.read_symlink(*found);
  if (!target) return std::nullopt;
  std::string path = resolve_target(*found, *target);
  for (int hop = 0; hop < kMaxAlternativesHops && path.starts_with(kAlternativesDir); ++hop) {
    target = env.read_symlink(path);
    if (!target) break;
    path = resolve_target(path, *target);
  }
  const std::string base = std::filesystem::path(path).filename().string();
  if (name == "cc" && (base == "gcc" || base == "clang")) return base;
  if (name == "c++" && (base == "g++" || base == "clang++")) return base;
  return std::nullopt;
}

bool has_target_option(const std::vector<std::string>& argv) {
  return std::any_of(argv.begin() + 1, argv.end(), [](const std::string& arg) {
    return arg == "-target" || arg.starts_with("--target=");
  });
}

}  // namespace

std::vector<std::string> rewrite_compiler(std::vector<std::string> argv, const RewriteEnv& env) {
  if (env.disabled || argv.empty() || argv[0].find('/') != std::string::npos) return argv;

  if (argv[0] == "cc" || argv[0] == "c++") {
    if (std::optional<std::string> real = generic_compiler_target(argv[0], env)) {
      argv[0] = std::move(*real);
    }
  }
  // 3.4 takes the triple from autoconf's host and turns "-pc-" into "-"; the caller gives us
  // the compiler's own `-dumpmachine` instead. That deliberately fixes distcc issues #377 and
  // #440 (wrong triple, e.g. x86_64-pc-linux-gnu-gcc or a triple of the build machine).
  if (env.gnu_host.empty()) return argv;

  const std::string& name = argv[0];
  if (is_name_or_versioned(name, "clang") || is_name_or_versioned(name, "clang++")) {
    // 3.4 looks only for -target; --target= is the spelling clang documents (3.4 issue #416).
    if (!has_target_option(argv)) argv.insert(argv.end(), {"-target", env.gnu_host});
  } else if (is_name_or_versioned(name, "gcc") || is_name_or_versioned(name, "g++")) {
    std::string qualified = env.gnu_host + "-" + name;
    if (env.find_on_path(qualified)) argv[0] = std::move(qualified);
  }
  return argv;
}

}  // namespace dcc
