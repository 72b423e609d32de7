#include "client/compile_driver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <iostream>

#include "client/compiler_rewrite.h"
#include "client/distcc_dir.h"
#include "client/host_chooser.h"
#include "client/host_loader.h"
#include "client/invocation.h"
#include "client/local_compile.h"
#include "client/include_files.h"
#include "client/native_arch.h"
#include "client/host_capabilities.h"
#include "client/pump_compile.h"
#include "client/remote_compile.h"
#include "client/response_file.h"
#include "client/scan_includes.h"
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

// Where this process keeps its locks and state, or empty strings when $DISTCC_DIR is unusable
// (then slots are not coordinated and monitors see nothing, but the build goes on).
struct DistccDirs {
  std::string lock_dir;
  std::string state_dir;
};

DistccDirs prepare_distcc_dirs(const ClientConfig& config, Logger& log) {
  DistccDirs dirs;
  auto lock = ensure_distcc_subdir(config.distcc_dir, "lock");
  if (lock) {
    dirs.lock_dir = *lock;
  } else {
    log.warning(lock.error().message + "; host limits are not enforced for this job");
  }
  auto state = ensure_distcc_subdir(config.distcc_dir, "state");
  if (state) dirs.state_dir = *state;
  return dirs;
}

// A job tries at most this many hosts before compiling locally. 3.4 has no cap and, with
// DISTCC_BACKOFF_PERIOD=0, retried a dead host forever; each failed host is also excluded
// from this job's later picks.
constexpr int kMaxRemoteAttempts = 3;

class Job {
 public:
  Job(std::vector<std::string> argv, const ClientConfig& config, const ChildEnvironment& env, Logger& log)
      : argv_(std::move(argv)),
        config_(config),
        env_(env),
        log_(log),
        dirs_(prepare_distcc_dirs(config, log)),
        state_(dirs_.state_dir, ::getpid()),
        backoff_(dirs_.lock_dir, config.backoff_period),
        capabilities_(dirs_.lock_dir),
        waiting_{dirs_.lock_dir, config.pause_time, &log, &state_} {}
  int run();

 private:
  int local(const std::string& why) {
    log_.info("compiling " + join(argv_) + " locally: " + why);
    return compile_here();
  }
  // A local compile holds a --localslots slot (shared with 3.4 clients), like 3.4's lock_local.
  int compile_here() {
    HostSlot slot = acquire_local_slot(local_slots_, waiting_);
    return compile_in_slot(slot.slot);
  }
  int compile_in_slot(int slot) {
    state_.set_host("localhost", slot);
    state_.set_phase(TaskPhase::compile);
    int status = run_local_compiler(argv_, env_);
    state_.set_phase(TaskPhase::done);
    return status;
  }
  int distribution_failed(const std::string& host, const Error& error);
  int run_remote(const RemoteJob& job, const HostList& hosts);
  RemoteResult compile_on(const RemoteJob& job, const HostSpec& host, const RemoteContext& ctx);
  const Result<std::vector<PumpEntry>>& pump_files(const RemoteJob& job);
  RemoteResult compile_pump_learning(const RemoteJob& job, const HostSpec& host, const std::vector<PumpEntry>& files,
                                     const RemoteContext& ctx);

  std::vector<std::string> argv_;  // what runs locally
  const ClientConfig& config_;
  const ChildEnvironment& env_;
  Logger& log_;
  DistccDirs dirs_;
  TaskStateFile state_;
  Backoff backoff_;
  HostCapabilities capabilities_;
  SlotWaiting waiting_;
  int local_slots_ = 4;
  std::string cwd_;
  std::optional<Result<std::vector<PumpEntry>>> pump_files_;  // asked once per job
};

const Result<std::vector<PumpEntry>>& Job::pump_files(const RemoteJob& job) {
  if (pump_files_) return *pump_files_;
  char buf[PATH_MAX];
  cwd_ = ::getcwd(buf, sizeof buf) ? buf : "";
  auto paths = cwd_.empty() ? Result<std::vector<std::string>>(make_error(ExitCode::io_error, "cannot tell the working directory"))
                            : ask_include_server(config_, cwd_, job.argv);
  if (!paths) {
    pump_files_.emplace(paths.error());
  } else if (paths->empty()) {
    pump_files_.emplace(make_error(ExitCode::local_cpp, "the include server gave up on this command"));
  } else {
    pump_files_.emplace(read_pump_entries(*paths));
  }
  return *pump_files_;
}

// A ,cpp host gets a pump-mode job when the include server can say what to send; otherwise the
// job is preprocessed here and sent to the same host in plain mode, as distcc 3.4 does.
RemoteResult Job::compile_on(const RemoteJob& job, const HostSpec& host, const RemoteContext& ctx) {
  if (host.protocol() != Protocol::v3) {
    RemoteResult result = compile_remotely(job, host, ctx);
    if (result.capabilities) capabilities_.learn(host, *result.capabilities);
    return result;
  }
  const auto& files = pump_files(job);
  if (files) return compile_pump_learning(job, host, *files, ctx);
  const Error& why = files.error();
  if (!config_.fallback) {
    return remote_failure(RemoteFailure::local_setup,
                          Error{why.code, "pump mode is unavailable for " + job.input + ": " + why.message});
  }
  std::string message = "pump mode is unavailable for " + job.input + ", preprocessing locally: " + why.message;
  if (why.code == ExitCode::local_cpp) {
    log_.info(message);
  } else {
    log_.warning(message);
  }
  HostSpec plain = host;
  plain.cpp = false;
  return compile_remotely(job, plain, ctx);
}

// Pump mode with our header-cache extension when the host's daemon announced it. A host that
// was ours and is not any more (replaced by 3.4, which drops the unknown request unanswered) is
// forgotten and asked again in plain protocol 3 at once: not a failure of the host.
RemoteResult Job::compile_pump_learning(const RemoteJob& job, const HostSpec& host, const std::vector<PumpEntry>& files,
                                        const RemoteContext& ctx) {
  bool offer = config_.header_cache && capabilities_.has_header_cache(host);
  RemoteResult result = compile_pump(job, host, files, cwd_, ctx, offer);
  if (offer && result.failure == RemoteFailure::distribution && result.bytes_received == 0) {
    log_.info(host.spec + " did not answer the header-cache protocol; asking again in plain protocol 3: " +
              result.error.message);
    capabilities_.learn(host, std::nullopt);
    result = compile_pump(job, host, files, cwd_, ctx, false);
  }
  if (result.capabilities) capabilities_.learn(host, *result.capabilities);
  return result;
}

int Job::distribution_failed(const std::string& host, const Error& error) {
  if (!config_.fallback) {
    log_.error("failed to distribute to " + host + ": " + error.message + "; fallbacks are disabled (DISTCC_FALLBACK=0)");
    return to_int(error.code);
  }
  log_.warning("failed to distribute to " + host + ", running locally instead: " + error.message);
  return compile_here();
}

int Job::run() {
  // Response files first, so flags inside them (-march=native too) are seen by the rules.
  std::vector<std::string> remote_argv = expand_response_files(argv_, [](const std::string& path) -> std::optional<std::string> {
    auto text = read_file(path);
    return text ? std::optional<std::string>(std::move(*text)) : std::nullopt;
  });
  // Monitors show the source name; a link or a multi-source job shows the first source, if any.
  for (std::size_t i = 1; i < remote_argv.size(); ++i) {
    if (is_source_file(remote_argv[i])) {
      state_.set_file(remote_argv[i]);
      break;
    }
  }
  auto hosts = load_host_list(config_);
  if (hosts) local_slots_ = hosts->local_slots;

  if (uses_native_cpu(remote_argv)) {
    auto resolved = resolve_native_cpu(remote_argv, capture_runner(env_));
    if (!resolved) return local(resolved.error().message);
    remote_argv = std::move(*resolved);
    log_.debug("resolved native CPU flags: " + join(remote_argv));
  }
  auto classified = classify(remote_argv);
  if (auto* reason = std::get_if<LocalReason>(&classified)) return local(std::string(describe(*reason)));
  const auto& job = std::get<RemoteJob>(classified);

  if (!hosts) {
    if (!config_.fallback) {
      log_.error(hosts.error().message + "; fallbacks are disabled (DISTCC_FALLBACK=0)");
      return to_int(ExitCode::no_hosts);  // 3.4 exits 116 for a missing, empty or bad list alike
    }
    log_.warning(hosts.error().message);
    return local("no usable host list");
  }
  return run_remote(job, *hosts);
}

int Job::run_remote(const RemoteJob& job, const HostList& hosts) {
  HostChooser chooser(hosts, backoff_, waiting_, static_cast<std::uint64_t>(::getpid()));
  std::vector<const HostSpec*> failed;
  std::optional<Error> last_error;
  std::string last_host;
  for (int attempt = 0; attempt < kMaxRemoteAttempts; ++attempt) {
    auto chosen = chooser.choose(failed);
    if (!chosen) break;
    const HostSpec& host = *chosen->host;
    if (last_error) {
      log_.warning("failed to distribute " + job.input + " to " + last_host + ", trying " + host.spec +
                   " instead: " + last_error->message);
    }
    state_.set_host(host.kind == HostKind::local ? "localhost" : host.hostname, chosen->slot);
    if (host.kind == HostKind::local) {
      log_.info("compiling " + job.input + " locally: localhost is the chosen host");
      return compile_in_slot(chosen->slot);  // keeps holding the localhost slot it picked
    }
    RemoteContext ctx{config_, env_, log_, state_, waiting_, hosts.local_slots_cpp};
    RemoteResult result = compile_on(job, host, ctx);
    chosen.reset();  // the remote slot is free again before any local work
    switch (result.failure) {
      case RemoteFailure::none: break;
      case RemoteFailure::preprocessor_failed:
        // The local compile shows the user's errors exactly as without distcc; the host did nothing wrong.
        return local(result.error.message);
      case RemoteFailure::local_setup:
        return distribution_failed(host.spec, result.error);
      case RemoteFailure::distribution:
        backoff_.dislike(host);
        failed.push_back(&host);
        last_error = result.error;
        last_host = host.spec;
        continue;
    }
    const CompileReply& reply = *result.reply;
    int status = static_cast<int>(reply.wait_status);
    if (status == 0) {
      backoff_.enjoy(host);
      state_.set_phase(TaskPhase::done);
      std::cerr << reply.stderr_text;
      std::cout << reply.stdout_text << std::flush;
      return 0;
    }
    if (WIFEXITED(status) && config_.skip_local_retry) {
      backoff_.enjoy(host);
      std::cerr << reply.stderr_text;
      std::cout << reply.stdout_text << std::flush;
      return WEXITSTATUS(status);
    }
    if (WIFEXITED(status)) {
      log_.warning("remote compilation of '" + job.input + "' failed, retrying locally");
      int local_status = compile_here();
      // The same failure here means a real compile error: not the host's fault (3.4 does the same).
      if (local_status != 0) {
        backoff_.enjoy(host);
      } else {
        backoff_.dislike(host);
      }
      return local_status;
    }
    backoff_.dislike(host);
    return distribution_failed(host.spec, Error{ExitCode::compiler_crashed, "compiler on the server was killed by signal " +
                                                                                 std::to_string(WTERMSIG(status))});
  }
  if (last_error) return distribution_failed(last_host, *last_error);
  std::string why = "no host is available for " + job.input + " (every host is ,down or backed off after a recent failure)";
  if (!config_.fallback) {
    log_.error(why + "; fallbacks are disabled (DISTCC_FALLBACK=0)");
    return to_int(ExitCode::no_hosts);
  }
  log_.warning(why + "; compiling locally");
  return compile_here();
}

}  // namespace

int run_distcc(const std::vector<std::string>& argv, const ClientConfig& config, Logger& log) {
  Invocation invocation = parse_invocation(argv);
  if (auto* usage = std::get_if<UsageError>(&invocation)) {
    log.error(usage->message);
    return to_int(ExitCode::bad_arguments);
  }
  if (auto* command = std::get_if<DistccCommand>(&invocation)) return run_distcc_command(*command, config, log);
  if (auto* scan = std::get_if<ScanIncludes>(&invocation)) return run_scan_includes(scan->argv, log);
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
