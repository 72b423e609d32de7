#include "tools/distcc-config/config_commands.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/child_process.h"
#include "common/host_spec.h"
#include "common/temp_files.h"
#include "tools/distcc-config/env_file.h"
#include "tools/update-distcc-symlinks/masquerade_update.h"

namespace fs = std::filesystem;

namespace dcc {
namespace {

// The whole file, or nullopt when it does not exist or cannot be read.
std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status write_text(const std::string& path, std::string_view text) {
  const std::string dir = fs::path(path).parent_path().string();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(ExitCode::io_error, "cannot create " + dir + ": " + ec.message());
  return write_file_atomically(path, text);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

// Gentoo's env-update regenerates /etc/profile.env from env.d; ROOT tells it which tree.
Status run_env_update(const ConfigContext& context, const ConfigPaths& paths, std::ostream& out) {
  for (const auto& program : paths.env_update) {
    if (::access(program.c_str(), X_OK) != 0) continue;
    std::vector<std::pair<std::string, std::string>> env;
    if (context.root != "/" && !context.root.empty()) env.emplace_back("ROOT", context.root);
    auto run = run_capture({program}, std::nullopt, env);
    if (!run) return run.error();
    out << run->out;
    if (exit_code_of(run->wait_status) != 0) {
      return make_error(ExitCode::io_error, program + " failed: " + trimmed(run->err));
    }
    return {};
  }
  return {};
}

Status set_env(const ConfigContext& context, const ConfigPaths& paths, const std::string& var,
               const std::string& value, std::ostream& out) {
  auto edited = env_file_set(read_text(paths.env_file).value_or(""), var, value);
  if (!edited) return edited.error();
  if (auto st = write_text(paths.env_file, *edited); !st) return st;
  return run_env_update(context, paths, out);
}

void print_env(const ConfigPaths& paths, const std::string& var, std::ostream& out) {
  auto value = env_file_get(read_text(paths.env_file).value_or(""), var);
  if (value) out << *value << '\n';
}

Status get_hosts(const ConfigContext& context, const ConfigPaths& paths, std::ostream& out) {
  if (context.distcc_hosts_env && !context.distcc_hosts_env->empty()) {
    out << *context.distcc_hosts_env << '\n';
    return {};
  }
  for (const auto& file : {paths.user_hosts, paths.system_hosts}) {
    auto text = read_text(file);
    if (text && !trimmed(*text).empty()) {
      out << trimmed(*text) << '\n';
      return {};
    }
  }
  return make_error(ExitCode::no_hosts,
                    "No configuration file found. Setup your hosts with --set-hosts.");
}

Status set_hosts(const ConfigPaths& paths, const std::string& list) {
  if (auto parsed = parse_hosts(list, "--set-hosts"); !parsed) return parsed.error();
  return write_text(paths.hosts_to_write, list + "\n");
}

Status update_masquerade_links(const ConfigContext& context, const ConfigPaths& paths,
                               bool crossdev_only) {
  MasqueradeRequest request;
  request.root = context.root;
  request.masquerade_dir = paths.masquerade_dir;
  request.bin_dir = paths.bin_dir;
  request.link_target = "/usr/bin/distcc";  // Gentoo's links are absolute
  request.crossdev_only = crossdev_only;
  auto done = update_masquerade(request, nullptr);
  if (!done) return done.error();
  return {};
}

Status install(const ConfigContext& context, const ConfigPaths& paths) {
  if (auto st = update_masquerade_links(context, paths, false); !st) return st;
  if (fs::exists(paths.hosts_to_write)) return {};  // never throw an existing list away
  return write_text(paths.hosts_to_write, "");
}

Status dispatch(const ConfigCommand& command, const ConfigContext& context, std::ostream& out) {
  const ConfigPaths paths = config_paths(context);
  const auto& v = command.values;
  switch (command.action) {
    case ConfigAction::help:
      out << kConfigUsage;
      return {};
    case ConfigAction::get_hosts:
      return get_hosts(context, paths, out);
    case ConfigAction::set_hosts:
      return set_hosts(paths, v[0]);
    case ConfigAction::get_verbose:
      print_env(paths, "DISTCC_VERBOSE", out);
      return {};
    case ConfigAction::set_verbose:
      return set_env(context, paths, "DISTCC_VERBOSE", v[0], out);
    case ConfigAction::get_log:
      print_env(paths, "DISTCC_LOG", out);
      return {};
    case ConfigAction::set_log:
      return set_env(context, paths, "DISTCC_LOG", v[0], out);
    case ConfigAction::get_env:
      if (!v.empty()) {
        print_env(paths, v[0], out);
      } else {
        out << read_text(paths.env_file).value_or("");
      }
      return {};
    case ConfigAction::set_env:
      return set_env(context, paths, v[0], v[1], out);
    case ConfigAction::update_masquerade:
      return update_masquerade_links(context, paths, false);
    case ConfigAction::update_masquerade_with_crossdev:
      return update_masquerade_links(context, paths, true);
    case ConfigAction::install:
      return install(context, paths);
  }
  return {};
}

}  // namespace

int run_config_command(const ConfigCommand& command, const ConfigContext& context,
                       std::ostream& out, std::ostream& err) {
  auto status = dispatch(command, context, out);
  if (status) return 0;
  out.flush();
  err << "distcc-config: " << status.error().message << '\n';
  return 1;
}

}  // namespace dcc
