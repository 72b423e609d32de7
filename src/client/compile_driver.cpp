#include "client/compile_driver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <iostream>

#include "client/compiler_rewrite.h"
#include "client/host_loader.h"
#include "client/invocation.h"
#include "client/local_compile.h"
#include "client/native_arch.h"
#include "client/remote_compile.h"
#include "client/response_file.h"
#include "client/usage.h"
#include "common/arg_rules.h"
#include "common/child_process.h"
#include "common/fd_io.h"

#ifndef DCC_GNU_HOST
#define DCC_GNU_HOST "x86_64-linux-gnu"
#endif

namespace dcc {
namespace {

bool is_executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

RewriteEnv machine_rewrite_env(const ClientConfig& config, const std::string& path) {
  RewriteEnv env;
  env.disabled = config.no_rewrite_cross;
  env.gnu_host = DCC_GNU_HOST;
  env.find_on_path = [path](const std::string& name) { return find_program(name, path, true); };
  env.read_symlink = [](const std::string& link) -> std::optional<std::string> {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
  };
  return env;
}

RunCommand capture_runner(const ChildEnvironment& env) {
  return [env](const std::vector<std::string>& argv) -> Result<CommandOutput> {
    auto run = run_capture(argv, env.path, {{"_DISTCC_SAFEGUARD", std::to_string(env.safeguard_level)}});
    if (!run) return run.error();
    return CommandOutput{exit_code_of(run->wait_status), std::move(run->out), std::move(run->err)};
  };
}

class Job {
 public:
  Job(std::vector<std::string> argv, const ClientConfig& config, const ChildEnvironment& env, Logger& log)
      : argv_(std::move(argv)), config_(config), env_(env), log_(log) {}
  int run();

 private:
  int local(const std::string& why) {
    log_.info("compiling " + join(argv_) + " locally: " + why);
    return run_local_compiler(argv_, env_);
  }
  int distribution_failed(const std::string& host, const Error& error);

  std::vector<std::string> argv_;  // what runs locally
  const ClientConfig& config_;
  const ChildEnvironment& env_;
  Logger& log_;
};

int Job::distribution_failed(const std::string& host, const Error& error) {
  if (!config_.fallback) {
    log_.error("failed to distribute to " + host + ": " + error.message + "; fallbacks are disabled (DISTCC_FALLBACK=0)");
    return to_int(error.code);
  }
  log_.warning("failed to distribute to " + host + ", running locally instead: " + error.message);
  return run_local_compiler(argv_, env_);
}

int Job::run() {
  // Response files first, so flags inside them (-march=native too) are seen by the rules.
  std::vector<std::string> remote_argv = expand_response_files(argv_, [](const std::string& path) -> std::optional<std::string> {
    auto text = read_file(path);
    return text ? std::optional<std::string>(std::move(*text)) : std::nullopt;
  });
  if (uses_native_cpu(remote_argv)) {
    auto resolved = resolve_native_cpu(remote_argv, capture_runner(env_));
    if (!resolved) return local(resolved.error().message);
    remote_argv = std::move(*resolved);
    log_.debug("resolved native CPU flags: " + join(remote_argv));
  }
  auto classified = classify(remote_argv);
  if (auto* reason = std::get_if<LocalReason>(&classified)) return local(std::string(describe(*reason)));
  const auto& job = std::get<RemoteJob>(classified);

  auto hosts = load_host_list(config_);
  if (!hosts) {
    if (!config_.fallback) {
      log_.error(hosts.error().message + "; fallbacks are disabled (DISTCC_FALLBACK=0)");
      return to_int(ExitCode::no_hosts);  // 3.4 exits 116 for a missing, empty or bad list alike
    }
    log_.warning(hosts.error().message);
    return local("no usable host list");
  }
  const HostSpec* host = choose_host(*hosts);
  if (!host) return local("no hosts to distribute to");
  if (host->kind == HostKind::local) return local("localhost is the chosen host");
  if (host->protocol() == Protocol::v3) {
    log_.warning("pump mode (,cpp) is not supported by this version yet; compiling locally instead of on " + host->spec);
    return run_local_compiler(argv_, env_);
  }

  RemoteContext ctx{config_, env_, log_};
  RemoteResult result = compile_remotely(job, *host, ctx);
  switch (result.failure) {
    case RemoteFailure::none: break;
    case RemoteFailure::preprocessor_failed:
      // The local compile shows the user's errors exactly as without distcc; the host did nothing wrong.
      return local(result.error.message);
    case RemoteFailure::local_setup:
    case RemoteFailure::distribution:
      return distribution_failed(host->spec, result.error);
  }
  const CompileReply& reply = *result.reply;
  int status = static_cast<int>(reply.wait_status);
  if (status == 0) {
    std::cerr << reply.stderr_text;
    std::cout << reply.stdout_text << std::flush;
    return 0;
  }
  if (WIFEXITED(status) && config_.skip_local_retry) {
    std::cerr << reply.stderr_text;
    std::cout << reply.stdout_text << std::flush;
    return WEXITSTATUS(status);
  }
  if (WIFEXITED(status)) {
    log_.warning("remote compilation of '" + job.input + "' failed, retrying locally");
    return run_local_compiler(argv_, env_);
  }
  return distribution_failed(host->spec, Error{ExitCode::compiler_crashed, "compiler on the server was killed by signal " +
                                                                               std::to_string(WTERMSIG(status))});
}

}  // namespace

int run_distcc(const std::vector<std::string>& argv, const ClientConfig& config, Logger& log) {
  Invocation invocation = parse_invocation(argv);
  if (auto* usage = std::get_if<UsageError>(&invocation)) {
    log.error(usage->message);
    return to_int(ExitCode::bad_arguments);
  }
  if (auto* command = std::get_if<DistccCommand>(&invocation)) return run_distcc_command(*command, config, log);
  auto& call = std::get<CompilerInvocation>(invocation);

  ChildEnvironment env{config.path, config.safeguard_level + 1};
  bool tweaked_path = false;
  if (call.mode == InvocationMode::masquerade) {
    std::optional<std::string> absolute_dir;
    if (argv[0].find('/') != std::string::npos) {
      std::string dir = argv[0].substr(0, argv[0].rfind('/'));
      if (dir.empty()) dir = "/";
      char resolved[PATH_MAX];
      if (::realpath(dir.c_str(), resolved)) absolute_dir = resolved;
    }
    if (auto trimmed = trim_masquerade_path(argv[0], config.path, absolute_dir, is_executable)) {
      env.path = *trimmed;
      tweaked_path = true;
    }
  }
  if (config.safeguard_level - (tweaked_path ? 1 : 0) > 0) {
    log.error("distcc seems to have invoked itself recursively!");
    return to_int(ExitCode::recursion);
  }
  std::vector<std::string> args = expand_preprocessor_options(call.argv);
  if (config.safeguard_level > 0) return run_local_compiler(args, env);  // a masqueraded inner call
  args = rewrite_compiler(std::move(args), machine_rewrite_env(config, env.path));
  Job job(std::move(args), config, env, log);
  return job.run();
}

}  // namespace dcc
