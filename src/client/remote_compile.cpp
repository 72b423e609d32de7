#include "client/remote_compile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "client/comment_blanking.h"
#include "client/connection.h"
#include "client/dependency_plan.h"
#include "common/child_process.h"
#include "common/fd_io.h"
#include "common/temp_files.h"

namespace dcc {
namespace {

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// When an ssh transport ends the conversation early, how long to wait for the process to be
// reapable (its pipe closes just before it exits) so the message can say why.
constexpr Millis kTransportFailureWait{500};

RemoteResult fail(RemoteFailure kind, Error error) { return remote_failure(kind, std::move(error)); }

// The local preprocessor run, started before we connect so the two overlap.
struct Preprocessing {
  std::optional<ChildProcess> child;
  std::string output_path;
  std::string stderr_path;
};

Result<Preprocessing> start_preprocessor(const RemoteJob& job, const std::vector<std::string>& cpp_argv,
                                         const TempDir& dir, const ChildEnvironment& env) {
  Preprocessing pre;
  pre.output_path = dir.path() + "/cpp" + preprocessed_extension(job.input);
  pre.stderr_path = dir.path() + "/cpp.stderr";
  UniqueFd out(::open(pre.output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  UniqueFd err(::open(pre.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out || !err) return make_error(ExitCode::io_error, "cannot create temporary files in " + dir.path() + ": " + errno_text(errno));
  SpawnOptions options;
  options.argv = cpp_argv;
  options.stdin_fd = SpawnOptions::kDevNull;
  options.stdout_fd = out.get();
  options.stderr_fd = err.get();
  options.path = env.path;
  options.set_env = {{"_DISTCC_SAFEGUARD", std::to_string(env.safeguard_level)}};
  // Its own group, killed if we are interrupted: a preprocessor outliving distcc (only distcc
  // got the SIGTERM) would write the .d temp file beside the object after our cleanup.
  options.new_process_group = true;
  options.kill_on_interrupt = true;
  auto child = ChildProcess::spawn(options);
  if (!child) return child.error();
  pre.child.emplace(std::move(*child));
  return pre;
}

// Writes what the server returned: the object and the dependency file, each atomically.
Status write_outputs(const RemoteJob& job, const CompileReply& reply, std::optional<AtomicFile>& dep_file) {
  if (auto s = write_file_atomically(job.output, reply.object); !s) return s;
  if (dep_file) return dep_file->commit();
  return {};
}

}  // namespace

RemoteResult remote_failure(RemoteFailure kind, Error error) {
  RemoteResult r;
  r.failure = kind;
  r.error = std::move(error);
  return r;
}

RemoteResult connection_failed(const Error& error) {
  // A malformed DISTCC_SSH, a missing ssh program or no pipes are this machine's problems:
  // backing the host off for them would only hide the message behind later local compiles.
  ExitCode code = error.code;
  bool ours = code == ExitCode::bad_arguments || code == ExitCode::compiler_missing || code == ExitCode::io_error;
  return remote_failure(ours ? RemoteFailure::local_setup : RemoteFailure::distribution, error);
}

bool is_gcc_compiler(const std::string& compiler) {
  std::string name = basename_of(compiler);
  if (name.find("clang") != std::string::npos) return false;
  auto ends_or_versioned = [&](std::string_view base) {
    auto pos = name.rfind(base);
    if (pos == std::string::npos) return false;
    bool starts_ok = pos == 0 || name[pos - 1] == '-';
    std::string_view rest(name.c_str() + pos + base.size());
    bool ends_ok = rest.empty() || rest.front() == '-';
    return starts_ok && ends_ok;
  };
  return ends_or_versioned("gcc") || ends_or_versioned("g++") || name == "cc" || name == "c++";
}

RemoteResult compile_remotely(const RemoteJob& job, const HostSpec& host, const RemoteContext& ctx) {
  auto dir = TempDir::create("distcc", ctx.config.tmp_dir);
  if (!dir) return fail(RemoteFailure::local_setup, dir.error());
  if (ctx.config.save_temps) dir->keep();

  // GCC keeps macros unexpanded with -fdirectives-only, so the remote compile sees the same
  // columns as a local one and debug info and diagnostics match (plain -E reflows lines).
  bool directives_only = is_gcc_compiler(job.argv[0]) && !is_preprocessed_file(job.input);
  std::vector<std::string> server_argv = strip_local_args(job.argv);
  if (directives_only) {
    server_argv.push_back("-fpreprocessed");
    server_argv.push_back("-fdirectives-only");
  }

  std::optional<Preprocessing> pre;
  std::optional<HostSlot> cpp_slot;
  std::optional<AtomicFile> dep_file;
  if (!is_preprocessed_file(job.input)) {
    std::vector<std::string> cpp_argv = make_preprocess_argv(job.argv);
    if (directives_only) cpp_argv.push_back("-fdirectives-only");
    if (auto plan = plan_dependencies(job.argv, job.output)) {
      auto file = AtomicFile::create(plan->dep_file);
      if (!file) return fail(RemoteFailure::local_setup, file.error());
      cpp_argv = redirect_dependencies(cpp_argv, *plan, file->temp_path(), job.output);
      dep_file.emplace(std::move(*file));
    }
    ctx.log.debug("preprocessing locally: " + [&] { std::string s; for (auto& a : cpp_argv) s += a + " "; return s; }());
    // The remote slot is already ours; taking the local one second is 3.4's lock order, so
    // two processes never wait for each other's slots.
    cpp_slot.emplace(acquire_local_slot(ctx.cpp_slots, ctx.waiting));
    ctx.state.set_phase(TaskPhase::preprocess);
    auto started = start_preprocessor(job, cpp_argv, *dir, ctx.child_env);
    if (!started) return fail(RemoteFailure::local_setup, started.error());
    pre.emplace(std::move(*started));
  }

  ctx.state.set_phase(TaskPhase::connect);
  auto conn = open_connection(host, ctx.config);

  std::string source;
  if (pre) {
    auto status = pre->child->wait();
    cpp_slot.reset();
    auto cpp_err = read_file(pre->stderr_path);
    if (!status || *status != 0) {
      return fail(RemoteFailure::preprocessor_failed,
                  Error{ExitCode::distcc_failed, "local preprocessing of " + job.input + " failed"});
    }
    // Warnings from the preprocessor (#warning, missing-include-dir...) are the user's to see.
    if (cpp_err && !cpp_err->empty()) std::cerr << *cpp_err;
    auto text = read_file(pre->output_path);
    if (!text) return fail(RemoteFailure::local_setup, text.error());
    source = std::move(*text);
    // Directives-only output keeps every header's comments: blank them (same lines and columns).
    if (directives_only && comment_blanking_applies(job.argv)) {
      if (auto blanked = blank_comments(source)) {
        ctx.log.debug("comments blanked: " + std::to_string(source.size()) + " -> " +
                      std::to_string(blanked->size()) + " bytes");
        source = std::move(*blanked);
      }
    }
  } else {
    auto text = read_file(job.input);
    if (!text) return fail(RemoteFailure::preprocessor_failed, text.error());
    source = std::move(*text);
  }
  if (!conn) return connection_failed(conn.error());
  CompileRequest request;
  request.version = static_cast<std::uint32_t>(host.protocol());
  request.argv = std::move(server_argv);
  request.source = std::move(source);
  RemoteResult result = exchange_with_server(
      *conn, request.version, [&](ProtocolWriter& out, ProtocolReader&) { return send_request(out, request); }, job, ctx);
  if (result.failure == RemoteFailure::none && result.reply->wait_status == 0) {
    if (auto s = write_outputs(job, *result.reply, dep_file); !s) return fail(RemoteFailure::local_setup, s.error());
  }
  return result;
}

RemoteResult exchange_with_server(Connection& conn, std::uint32_t version, const RequestSender& send, const RemoteJob& job,
                                  const RemoteContext& ctx, const std::function<std::string()>& note) {
  const std::string& where = conn.where;
  ctx.state.set_phase(TaskPhase::send);
  ProtocolWriter writer(conn.to_server.get(), ctx.config.io_timeout);
  ProtocolReader reader(conn.from_server.get(), ctx.config.io_timeout);
  auto failed = [&](const Error& error) {
    RemoteResult result = fail(RemoteFailure::distribution, error);
    result.bytes_received = reader.bytes_read();
    return result;
  };
  if (auto s = send(writer, reader); !s) {
    std::string msg = "sending the job to " + where + ": " + s.error().message;
    if (auto why = transport_failure(conn, kTransportFailureWait)) msg += "; " + *why;
    return failed(Error{s.error().code, msg});
  }
  ctx.state.set_phase(TaskPhase::compile);
  auto reply = receive_reply(reader, version, ProtocolLimits{});
  if (!reply) {
    std::string msg = reply.error().message;
    auto transport_died = transport_failure(conn, kTransportFailureWait);
    if (reply.error().code == ExitCode::truncated && reader.bytes_read() == 0) {
      msg = transport_died ? "no answer: " + *transport_died
                           : "server provided no answer (is the client allowed by its --allow list, and is " +
                                 job.argv[0] + " in its compiler allow-list?)";
    } else if (transport_died) {
      msg += "; " + *transport_died;
    }
    return failed(Error{reply.error().code, where + ": " + msg});
  }
  RemoteResult result;
  if (auto capabilities = receive_capabilities(reader)) result.capabilities = *capabilities;
  ctx.log.info("compile " + job.input + " on " + where + ": " + std::to_string(writer.bytes_written()) +
               " bytes sent, " + std::to_string(reader.bytes_read()) + " received (protocol " +
               std::to_string(version) + (note ? note() : "") + ")");
  ctx.state.set_phase(TaskPhase::receive);
  result.reply = std::move(*reply);
  result.bytes_received = reader.bytes_read();
  return result;
}

}  // namespace dcc
