#include "daemon/job_runner.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <variant>

#include "common/arg_rules.h"
#include "common/arg_safety.h"
#include "common/pump_request.h"
#include "common/temp_files.h"
#include "daemon/dotd_rewrite.h"
#include "daemon/mirror_root.h"
#include "daemon/orphans.h"
#include "daemon/pump_job_args.h"
#include "daemon/source_safety.h"

namespace dcc {
namespace {

using Clock = std::chrono::steady_clock;

// Replaces the input file name and the -o value with the job's temp files (the first of each,
// as distcc does). classify() has already made sure there is exactly one of each.
std::vector<std::string> substitute_paths(const RemoteJob& job, const std::string& input_path,
                                          const std::string& output_path) {
  std::vector<std::string> argv = job.argv;
  bool input_done = false;
  bool output_done = false;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    std::string& arg = argv[i];
    if (!output_done && arg == "-o" && i + 1 < argv.size()) {
      argv[++i] = output_path;
      output_done = true;
    } else if (!output_done && arg.size() > 2 && arg.rfind("-o", 0) == 0) {
      arg = "-o" + output_path;
      output_done = true;
    } else if (!input_done && arg == job.input) {
      arg = input_path;
      input_done = true;
    }
  }
  return argv;
}

class JobServer {
 public:
  JobServer(int in_fd, int out_fd, const std::string& peer, const JobConfig& config, CompilerRunner& runner, Logger& log)
      : in_(in_fd, config.io_timeout), out_(out_fd, config.io_timeout), in_fd_(in_fd), peer_(peer), config_(config),
        runner_(runner), log_(log) {}

  JobOutcome serve();

 private:
  // What happens to the .d file of a protocol 3 job after the compile.
  struct DotdPlan {
    std::string path;         // where the compiler writes it
    std::string root;         // the mirror root, removed from every path
    std::string temp_object;  // replaced by the client's object name
    std::string target;
  };

  // Ends the job: fills in the outcome, logs why it failed (if it did) and the summary line.
  JobOutcome finish(JobResult result, const std::string& why, Refusal refusal = Refusal::none,
                    ExitCode ret = ExitCode::ok);
  JobOutcome refuse(Refusal refusal, const Error& error) {
    return finish(refusal == Refusal::incomplete_request || refusal == Refusal::protocol_error ? JobResult::bad_request
                                                                                              : JobResult::refused,
                  error.message, refusal, error.code);
  }
  // The checks every request passes before anything runs: the client's own rules again, then the
  // compiler allow-list. A refusal comes back as the finished outcome.
  struct Admitted {
    RemoteJob job;
    std::string compiler;  // what to run
  };
  using Admission = std::variant<Admitted, JobOutcome>;
  Admission admit(const std::vector<std::string>& argv);
  JobOutcome run(const CompileRequest& request, const RemoteJob& job, const std::string& compiler);
  JobOutcome serve_pump(std::uint32_t version);
  CompilerRun compiler_run(std::vector<std::string> argv, const std::string& workdir, const TempDir& dir) const;
  JobOutcome compile_and_reply(std::uint32_t version, const CompilerRun& compile, const std::string& output_path,
                               const std::optional<DotdPlan>& dotd);

  ProtocolReader in_;
  ProtocolWriter out_;
  int in_fd_;
  const std::string& peer_;
  const JobConfig& config_;
  CompilerRunner& runner_;
  Logger& log_;
  Clock::time_point start_ = Clock::now();
  JobOutcome outcome_;
};

JobOutcome JobServer::finish(JobResult result, const std::string& why, Refusal refusal, ExitCode ret) {
  outcome_.result = result;
  outcome_.refusal = refusal;
  outcome_.ret = ret;
  outcome_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
  outcome_.bytes_in = in_.bytes_read();
  outcome_.bytes_out = out_.bytes_written();
  if (!why.empty()) {
    std::string subject = outcome_.compiler.empty() ? ""
                          : " (" + printable(outcome_.compiler, 200) +
                                (outcome_.input.empty() ? "" : " " + printable(outcome_.input, 200)) + ")";
    // "client 10.0.0.7:4711: REJ_REFUSED compiler_not_allowed (cc1 x.c): why": the 3.4 category,
    // then the reason as /metrics counts it.
    std::string what(job_result_name(result));
    if (refusal != Refusal::none) what += " " + std::string(refusal_name(refusal));
    std::string line = "client " + peer_ + ": " + what + subject + ": " + why;
    // A refused or vanished client is the client's problem; anything else is ours.
    if (result == JobResult::other) {
      log_.error(line);
    } else {
      log_.warning(line);
    }
  }
  log_.info(job_summary_line(peer_, outcome_));
  return outcome_;
}

// Receive errors: the client stopped sending (or was too slow) vs. sent something else.
Refusal refusal_for_receive(const Error& error) {
  switch (error.code) {
    case ExitCode::truncated:
    case ExitCode::timeout:
    case ExitCode::io_error: return Refusal::incomplete_request;
    default: return Refusal::protocol_error;
  }
}

JobOutcome JobServer::serve() {
  in_.set_deadline(start_ + config_.io_timeout);
  auto version = receive_request_version(in_, /*accept_pump=*/true);
  if (!version) return refuse(refusal_for_receive(version.error()), version.error());
  if (features_for(*version)->sends_files) return serve_pump(*version);
  auto request = receive_request_body(in_, *version, config_.limits);
  if (!request) return refuse(refusal_for_receive(request.error()), request.error());
  auto admitted = admit(request->argv);
  if (auto* refused = std::get_if<JobOutcome>(&admitted)) return *refused;
  const auto& [job, compiler] = std::get<Admitted>(admitted);
  return run(*request, job, compiler);
}

JobServer::Admission JobServer::admit(const std::vector<std::string>& argv) {
  outcome_.compiler = argv[0].substr(0, 200);
  // The server applies the client's rules again: anything that must run locally is refused.
  auto classified = classify(argv);
  if (auto* reason = std::get_if<LocalReason>(&classified)) {
    return refuse(Refusal::not_distributable, Error{ExitCode::bad_arguments, "command must run on the client: " +
                                                                                  std::string(describe(*reason))});
  }
  auto& job = std::get<RemoteJob>(classified);
  outcome_.input = job.input.substr(0, 200);
  auto compiler = check_compiler(argv[0], config_.allowlist, config_.is_executable);
  if (!compiler) return refuse(Refusal::compiler_not_allowed, compiler.error());
  return Admitted{std::move(job), std::move(*compiler)};
}

JobOutcome JobServer::run(const CompileRequest& request, const RemoteJob& job, const std::string& compiler) {
  auto dir = TempDir::create(job_temp_prefix(::getpid()), config_.temp_root);  // see orphans.h
  if (!dir) return finish(JobResult::other, dir.error().message, Refusal::none, dir.error().code);
  if (config_.save_temps) dir->keep();
  std::string input_path = dir->path() + "/input" + preprocessed_extension(job.input);
  std::string output_path = dir->path() + "/output" + (job.assemble_only ? ".s" : ".o");
  std::vector<std::string> argv = substitute_paths(job, input_path, output_path);
  argv[0] = compiler;

  if (auto unsafe = find_unsafe_argument(std::span(argv).subspan(1))) {
    return refuse(Refusal::unsafe_argument, Error{ExitCode::bad_arguments, *unsafe});
  }
  if (auto unsafe = find_unsafe_source_content(request.source)) {
    return refuse(Refusal::unsafe_source, Error{ExitCode::bad_arguments, *unsafe});
  }
  if (auto s = write_file(input_path, request.source, 0600); !s) {
    return finish(JobResult::other, s.error().message, Refusal::none, s.error().code);
  }
  return compile_and_reply(request.version, compiler_run(std::move(argv), dir->path(), *dir), output_path, std::nullopt);
}

// Protocol 3: the client's files arrive one by one and go straight into the job's mirror root;
// the compiler then preprocesses and compiles there (facts §5.4). With our header-cache
// extension some of them come from the cache instead (pump_request.h, header_cache.h).
JobOutcome JobServer::serve_pump(std::uint32_t version) {
  auto dir = TempDir::create(job_temp_prefix(::getpid()), config_.temp_root);  // see orphans.h
  if (!dir) return finish(JobResult::other, dir.error().message, Refusal::none, dir.error().code);
  if (config_.save_temps) dir->keep();
  std::string root_dir = dir->path() + "/root";
  if (::mkdir(root_dir.c_str(), 0700) != 0) {
    return finish(JobResult::other, "cannot create " + root_dir + ": " + errno_text(errno), Refusal::none,
                  ExitCode::io_error);
  }
  auto mirror = MirrorRoot::open(root_dir);
  if (!mirror) return finish(JobResult::other, mirror.error().message, Refusal::none, mirror.error().code);

  // Entries the mirror refuses are confinement refusals; anything else is the request itself.
  std::optional<Error> confinement;
  std::size_t files = 0, links = 0;
  auto sink = [&](PumpEntry&& entry) -> Status {
    (entry.kind == PumpEntry::Kind::link ? links : files)++;
    Status added = mirror->add(entry);
    if (!added && added.error().code == ExitCode::protocol_error) confinement = added.error();
    return added;
  };
  // A client may use the extension although the cache is off (it learned otherwise from an
  // earlier run of this daemon): it is then asked for every file.
  const HeaderCache* cache = config_.header_cache;
  PumpHeaderCache exchange{
      .out = out_,
      .fetch = [&](const Sha256Digest& digest) -> std::optional<std::string> {
        if (!cache) return std::nullopt;
        auto fetched = cache->fetch(digest);
        if (fetched.removed_corrupt) {
          log_.warning("header cache entry " + to_hex(digest) + " did not match its hash; removed it and asked client " +
                       peer_ + " for the file");
        }
        return std::move(fetched.body);
      },
      .store = [&](const Sha256Digest& digest, std::string_view body) {
        if (cache) cache->store(digest, body);
      },
      .traffic = {}};
  bool extended = features_for(version)->header_cache;
  auto request = extended ? receive_pump_request(in_, config_.limits, sink, exchange)
                          : receive_pump_request(in_, config_.limits, sink);
  auto pump_error = [](const Error& e) { return Error{e.code, "pump request: " + e.message}; };
  if (!request) {
    if (confinement) return refuse(Refusal::pump_confinement, pump_error(*confinement));
    return refuse(refusal_for_receive(request.error()), pump_error(request.error()));
  }
  outcome_.compiler = request->argv[0].substr(0, 200);
  if (auto s = mirror->check_links(MirrorPolicy{}); !s) return refuse(Refusal::pump_confinement, pump_error(s.error()));
  auto admitted = admit(request->argv);
  if (auto* refused = std::get_if<JobOutcome>(&admitted)) return *refused;
  const auto& [job, compiler] = std::get<Admitted>(admitted);
  if (auto unsafe = find_unsafe_pump_argument(std::span(job.argv).subspan(1))) {
    return refuse(Refusal::unsafe_argument, Error{ExitCode::bad_arguments, *unsafe});
  }
  auto cwd = mirror->make_directory(request->cwd);
  if (!cwd) return refuse(Refusal::pump_confinement, pump_error(Error{cwd.error().code, "working directory " + cwd.error().message}));
  std::string cached;
  if (extended) {
    cached = "; header cache: " + std::to_string(exchange.traffic.offered - exchange.traffic.needed) + " of " +
             std::to_string(exchange.traffic.offered) + " offered files were cached";
  }
  log_.info("client " + peer_ + ": protocol 3 job " + printable(job.input, 200) + ": " + std::to_string(files) +
            " files and " + std::to_string(links) + " links received into " + mirror->path() + cached);

  std::string output_path = dir->path() + "/output" + (job.assemble_only ? ".s" : ".o");
  DotdPlan dotd{dir->path() + "/deps.d", mirror->path(), output_path, ""};
  auto command = pump_server_command(job.argv, job.input, mirror->path(), output_path, dotd.path);
  command.argv[0] = compiler;
  dotd.target = command.dotd_target;
  return compile_and_reply(3, compiler_run(std::move(command.argv), *cwd, *dir), output_path, dotd);
}

CompilerRun JobServer::compiler_run(std::vector<std::string> argv, const std::string& workdir, const TempDir& dir) const {
  CompilerRun compile;
  compile.argv = std::move(argv);
  compile.workdir = workdir;
  compile.stdout_path = dir.path() + "/stdout";
  compile.stderr_path = dir.path() + "/stderr";
  compile.client_fd = in_fd_;
  compile.lifetime = config_.job_lifetime;
  compile.path = config_.compiler_path;
  // A masquerading distcc found on the daemon's PATH runs the real compiler instead of recursing.
  compile.env = {{"_DISTCC_SAFEGUARD", "1"}};
  return compile;
}

JobOutcome JobServer::compile_and_reply(std::uint32_t version, const CompilerRun& compile, const std::string& output_path,
                                        const std::optional<DotdPlan>& dotd) {
  auto compile_start = Clock::now();
  auto ran = runner_.run(compile);
  auto compile_time = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - compile_start);

  CompileReply reply;
  reply.version = version;
  std::string captured;  // our own warnings about this job travel to the client in SERR
  log_.set_capture(&captured);
  JobResult result = JobResult::compile_ok;
  ExitCode ret = ExitCode::ok;
  if (!ran) {
    log_.set_capture(nullptr);
    if (ran.error().code == ExitCode::compiler_missing) return refuse(Refusal::compiler_not_found, ran.error());
    return finish(JobResult::other, ran.error().message, Refusal::none, ran.error().code);
  }
  if (ran->daemon_stopping) {
    log_.set_capture(nullptr);
    outcome_.daemon_stopping = true;
    return finish(JobResult::other, "daemon is shutting down; compiler killed", Refusal::none, ExitCode::gone);
  }
  if (ran->client_gone) {
    log_.set_capture(nullptr);
    return finish(JobResult::client_disconnect, "client went away while the compiler was running; compiler killed",
                  Refusal::none, ExitCode::io_error);
  }
  outcome_.wait_status = ran->wait_status;
  outcome_.compile_time = compile_time;
  reply.wait_status = static_cast<std::uint32_t>(ran->wait_status);
  if (ran->timed_out) {
    log_.warning("compilation of " + outcome_.input + " exceeded the job lifetime of " +
                 std::to_string(config_.job_lifetime.count()) + " s and was killed");
    reply.wait_status = static_cast<std::uint32_t>(to_int(ExitCode::timeout)) << 8;
    result = JobResult::compile_timeout;
  } else if (ran->wait_status != 0) {
    result = JobResult::compile_error;
  }
  // Capped: a compiler printing gigabytes must not make this worker (or the reply) that big.
  if (auto err = read_compiler_output(compile.stderr_path)) reply.stderr_text = std::move(*err);
  if (auto out = read_compiler_output(compile.stdout_path)) reply.stdout_text = std::move(*out);
  if (reply.wait_status == 0) {
    auto object = read_file(output_path);
    if (!object) {
      log_.error("compiler succeeded but wrote no output: " + object.error().message);
      reply.wait_status = static_cast<std::uint32_t>(to_int(ExitCode::io_error)) << 8;
      result = JobResult::other;
      ret = ExitCode::io_error;
    } else {
      reply.object = std::move(*object);
    }
  }
  if (dotd) {
    // Diagnostics name headers found through rebased -I paths by their server path.
    reply.stderr_text = replace_paths(reply.stderr_text, dotd->root, "", "");
  }
  if (reply.wait_status == 0 && dotd) {
    // The compiler was told to write it; an absent .d is sent empty, as a zero-length DOTD.
    auto text = read_file(dotd->path);
    reply.dotd = text ? rewrite_dotd(*text, dotd->root, dotd->temp_object, dotd->target, dotd_style_for(compile.argv[0]))
                      : std::string();
  }
  log_.set_capture(nullptr);
  reply.stderr_text += captured;
  // Our clients learn from the trailer which extensions this daemon serves; 3.4's never read it.
  std::uint32_t capabilities = config_.header_cache ? kCapabilityHeaderCache : 0;
  if (auto s = send_reply(out_, reply, capabilities); !s) {
    return finish(JobResult::client_disconnect, "cannot send the reply: " + s.error().message, Refusal::none,
                  s.error().code);
  }
  return finish(result, "", Refusal::none, ret);
}

}  // namespace

std::string job_summary_line(const std::string& peer, const JobOutcome& outcome) {
  int status = outcome.wait_status;
  int exit = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  int core = WIFSIGNALED(status) && WCOREDUMP(status) ? 1 : 0;
  std::string line = "client: " + peer + " " + std::string(job_result_name(outcome.result)) + " exit:" +
                     std::to_string(exit) + " sig:" + std::to_string(sig) + " core:" + std::to_string(core) +
                     " ret:" + std::to_string(to_int(outcome.ret)) + " time:" + std::to_string(outcome.elapsed.count()) +
                     "ms";
  // A name a client sent must not be able to forge log lines (printable() escapes control bytes).
  if (!outcome.compiler.empty()) line += " " + printable(outcome.compiler, 200);
  if (!outcome.input.empty()) line += " " + printable(outcome.input, 200);
  return line;
}

std::string_view refusal_name(Refusal refusal) {
  switch (refusal) {
    case Refusal::none: return "none";
    case Refusal::access_denied: return "access_denied";
    case Refusal::incomplete_request: return "incomplete_request";
    case Refusal::protocol_error: return "protocol_error";
    case Refusal::not_distributable: return "not_distributable";
    case Refusal::compiler_not_allowed: return "compiler_not_allowed";
    case Refusal::compiler_not_found: return "compiler_not_found";
    case Refusal::unsafe_argument: return "unsafe_argument";
    case Refusal::unsafe_source: return "unsafe_source";
    case Refusal::pump_confinement: return "pump_confinement";
  }
  return "none";
}

std::string_view job_result_name(JobResult result) {
  switch (result) {
    case JobResult::compile_ok: return "COMPILE_OK";
    case JobResult::compile_error: return "COMPILE_ERROR";
    case JobResult::compile_timeout: return "COMPILE_TIMEOUT";
    case JobResult::client_disconnect: return "CLI_DISCONN";
    case JobResult::bad_request: return "REJ_BAD_REQ";
    case JobResult::refused: return "REJ_REFUSED";
    case JobResult::other: return "OTHER";
  }
  return "OTHER";
}

JobOutcome serve_job(int in_fd, int out_fd, const std::string& peer, const JobConfig& config, CompilerRunner& runner,
                     Logger& log) {
  (void)set_nonblocking(in_fd);
  if (out_fd != in_fd) (void)set_nonblocking(out_fd);
  JobServer server(in_fd, out_fd, peer, config, runner, log);
  return server.serve();
}

}  // namespace dcc
