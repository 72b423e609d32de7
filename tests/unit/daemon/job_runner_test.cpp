#include "daemon/job_runner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../test_support.h"
#include "common/lzo_codec.h"
#include "common/pump_request.h"

namespace dcc {
namespace {

using namespace std::chrono_literals;
using test::hex8;
using test::make_socket_pair;
using test::send_all;
using test::wire_of;

const std::string kPeer = "127.0.0.1:51688";
constexpr Millis kQuick = 1000ms;  // refusals and malformed requests must be handled within this

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}
bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::string request_bytes(std::uint32_t version, const std::vector<std::string>& argv,
                          const std::string& source) {
  CompileRequest request;
  request.version = version;
  request.argv = argv;
  request.source = source;
  return wire_of([&](ProtocolWriter& out) { EXPECT_TRUE(send_request(out, request).ok()); });
}

const std::vector<std::string> kHello = {"gcc", "-c", "hello.c", "-o", "hello.o"};
const std::string kHelloSource = "# 1 \"hello.c\"\nint main(void) { return 0; }\n";

// A CompilerRunner that runs nothing: it records what it was asked to do, checks the input it
// was given, and writes the object / stdout / stderr it was told to.
class FakeCompiler final : public CompilerRunner {
 public:
  Result<CompilerOutcome> run(const CompilerRun& run) override {
    ++calls;
    last = run;
    for (std::size_t i = 1; i < run.argv.size(); ++i) {
      const std::string& arg = run.argv[i];
      if (arg == "-o" && i + 1 < run.argv.size())
        output_path = run.argv[++i];
      else if (arg == "-MF" && i + 1 < run.argv.size())
        deps_path = run.argv[++i];
      else if (starts_with(arg, "-o"))
        output_path = arg.substr(2);
      else if (!starts_with(arg, "-"))
        input_path = arg;
    }
    input_seen = test::slurp(input_path);
    workdir_entries =
        std::filesystem::exists(run.workdir) ? list(run.workdir) : std::set<std::string>{};
    if (!stderr_text.empty()) test::spit(run.stderr_path, stderr_text);
    if (!stdout_text.empty()) test::spit(run.stdout_path, stdout_text);
    if (write_object && !output_path.empty()) test::spit(output_path, object);
    if (write_deps) write_deps(run, output_path, deps_path);
    if (error) return *error;
    return outcome;
  }

  static std::set<std::string> list(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      names.insert(entry.path().filename());
    return names;
  }

  // What to do.
  std::string object = std::string(
                           "\x7f"
                           "ELF",
                           4) +
                       std::string(3000, '\x01');
  std::string stderr_text;
  std::string stdout_text;
  bool write_object = true;
  CompilerOutcome outcome;
  std::optional<Error> error;
  std::function<void(const CompilerRun&, const std::string& output, const std::string& deps)> write_deps;

  // What happened.
  int calls = 0;
  CompilerRun last;
  std::string input_path;
  std::string output_path;
  std::string deps_path;
  std::string input_seen;
  std::set<std::string> workdir_entries;
};

class JobRunnerTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(jobs_.ready() && logs_.ready());
    log_fd_.reset(
        ::open(logs_.file("distccd.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    ASSERT_TRUE(log_fd_.valid());
    log_.set_fd(log_fd_.get());
    config_.allowlist.masquerade_dirs = {"/usr/lib/distcc"};
    config_.is_executable = [](const std::string& path) {
      static const std::set<std::string> links = {
          "/usr/lib/distcc/gcc", "/usr/lib/distcc/g++", "/usr/lib/distcc/cc",
          "/usr/lib/distcc/x86_64-linux-gnu-gcc", "/usr/lib/distcc/clang"};
      return links.count(path) > 0;
    };
    config_.temp_root = jobs_.path();
    config_.io_timeout = 2000ms;
    config_.job_lifetime = 0s;
  }

  void TearDown() override {
    if (!keep_temps_) {
      EXPECT_EQ(jobs_.entries(), std::vector<std::string>{})
          << "the job left files in the temp root";
    }
  }

  // Sends `bytes` from the client end (half-closing it afterwards when asked) while reading
  // whatever comes back, serves one job on the server end and closes it, as the daemon does.
  JobOutcome serve(const std::string& bytes, bool half_close = false) {
    auto pair = make_socket_pair();
    UniqueFd client = std::move(pair.a);
    UniqueFd server = std::move(pair.b);
    std::thread writer([&] {
      send_all(client.get(), bytes);
      if (half_close) ::shutdown(client.get(), SHUT_WR);
    });
    std::thread reader([&] { reply_bytes_ = test::read_to_eof(client.get()); });
    auto start = std::chrono::steady_clock::now();
    JobOutcome outcome = serve_job(server.get(), server.get(), kPeer, config_, fake_, log_);
    took_ = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);
    server.reset();  // ends the reader; a writer still blocked on a refused request gets EPIPE
    writer.join();
    reader.join();
    return outcome;
  }

  // Everything the server sent (empty when it closed without a reply).
  const std::string& raw_reply() const { return reply_bytes_; }

  Result<CompileReply> reply(std::uint32_t version) {
    auto pair = make_socket_pair();
    std::thread writer([&] {
      send_all(pair.a.get(), reply_bytes_);
      ::shutdown(pair.a.get(), SHUT_WR);
    });
    EXPECT_TRUE(set_nonblocking(pair.b.get()).ok());
    ProtocolReader in(pair.b.get(), 2000ms);
    auto parsed = receive_reply(in, version, ProtocolLimits{});
    pair.b.reset();
    writer.join();
    return parsed;
  }

  std::string log_text() const { return test::slurp(logs_.file("distccd.log")); }

  // A refused job: no compiler run, no reply, a log line with the client and the reason.
  void expect_refused(const JobOutcome& outcome, const std::string& reason_part) {
    EXPECT_EQ(outcome.result, JobResult::refused);
    EXPECT_EQ(fake_.calls, 0) << "the compiler ran for a refused job";
    EXPECT_EQ(raw_reply(), "") << "a refused job must get no reply";
    EXPECT_LT(took_, kQuick);
    std::string log = log_text();
    EXPECT_TRUE(contains(log, "client " + kPeer)) << log;
    EXPECT_TRUE(contains(log, "REJ_REFUSED")) << log;
    EXPECT_TRUE(contains(log, reason_part)) << "log lacks \"" << reason_part << "\":\n" << log;
    EXPECT_NE(outcome.refusal, Refusal::none);
    EXPECT_NE(outcome.ret, ExitCode::ok);
    EXPECT_FALSE(outcome.compile_time);
    EXPECT_TRUE(contains(log, "Warning: client " + kPeer + ": REJ_REFUSED " + std::string(refusal_name(outcome.refusal))))
        << log;
    expect_one_summary_line(log, "REJ_REFUSED");
  }

  // Exactly one 3.4-style summary line at info for the job.
  static void expect_one_summary_line(const std::string& log, const std::string& result) {
    std::size_t lines = 0;
    for (std::size_t at = log.find("info: client: "); at != std::string::npos; at = log.find("info: client: ", at + 1)) {
      ++lines;
    }
    EXPECT_EQ(lines, 1u) << log;
    EXPECT_TRUE(contains(log, "info: client: " + kPeer + " " + result + " exit:")) << log;
  }

  // A malformed request: no compiler, no reply, quickly, logged as a bad request.
  void expect_bad_request(const JobOutcome& outcome, Millis within = kQuick) {
    EXPECT_EQ(outcome.result, JobResult::bad_request);
    EXPECT_EQ(fake_.calls, 0);
    EXPECT_EQ(raw_reply(), "");
    EXPECT_LT(took_, within);
    std::string log = log_text();
    EXPECT_TRUE(outcome.refusal == Refusal::protocol_error || outcome.refusal == Refusal::incomplete_request);
    EXPECT_TRUE(contains(log, "Warning: client " + kPeer + ": REJ_BAD_REQ " + std::string(refusal_name(outcome.refusal))))
        << log;
    expect_one_summary_line(log, "REJ_BAD_REQ");
  }

  test::ScratchDir jobs_{"job_runner_tmp"};
  test::ScratchDir logs_{"job_runner_log"};
  UniqueFd log_fd_;
  Logger log_{"distccd", LogLevel::info, -1};
  JobConfig config_;
  FakeCompiler fake_;
  std::string reply_bytes_;
  Millis took_{0};
  bool keep_temps_ = false;
};

// ---- successful jobs
// -----------------------------------------------------------------------------

TEST_F(JobRunnerTest, Version1JobRepliesWithTheObject) {
  std::string request = request_bytes(1, kHello, kHelloSource);
  JobOutcome outcome = serve(request);
  ASSERT_EQ(fake_.calls, 1);
  // After the reply, our XCAP trailer (no header cache here); a 3.4 client stops reading before it.
  EXPECT_EQ(raw_reply(), "DONE00000001STAT00000000SERR00000000SOUT00000000DOTO" +
                             hex8(static_cast<std::uint32_t>(fake_.object.size())) + fake_.object + "XCAP00000000");
  EXPECT_EQ(outcome.result, JobResult::compile_ok);
  EXPECT_EQ(outcome.compiler, "gcc");
  EXPECT_EQ(outcome.input, "hello.c");
  EXPECT_EQ(outcome.bytes_in, request.size());
  EXPECT_EQ(outcome.refusal, Refusal::none);
  EXPECT_EQ(outcome.ret, ExitCode::ok);
  EXPECT_TRUE(outcome.compile_time);
  std::string log = log_text();
  expect_one_summary_line(log, "COMPILE_OK");
  EXPECT_TRUE(contains(log, " COMPILE_OK exit:0 sig:0 core:0 ret:0 time:")) << log;
  EXPECT_TRUE(contains(log, "ms gcc hello.c\n")) << log;
  EXPECT_FALSE(contains(log, "Warning")) << log;
  EXPECT_EQ(outcome.bytes_out, 60 + fake_.object.size() + 12);
}

TEST_F(JobRunnerTest, Version2JobRepliesCompressed) {
  fake_.stderr_text = "hello.c:1:5: warning: unused variable 'x'\n";
  fake_.stdout_text = "some stdout\n";
  std::string source;
  for (int i = 0; i < 3000; ++i) source += "int v" + std::to_string(i) + ";\n";
  JobOutcome outcome = serve(request_bytes(2, kHello, source));
  ASSERT_EQ(fake_.calls, 1);
  EXPECT_EQ(fake_.input_seen, source) << "the DOTI body was not decompressed into the input file";
  EXPECT_EQ(outcome.result, JobResult::compile_ok);
  const std::string& raw = raw_reply();
  auto packed_err = lzo_compress(fake_.stderr_text);
  ASSERT_TRUE(packed_err.ok());
  EXPECT_TRUE(starts_with(raw, "DONE00000002STAT00000000SERR" +
                                   hex8(static_cast<std::uint32_t>(packed_err->size())) +
                                   *packed_err));
  auto parsed = reply(2);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->wait_status, 0u);
  EXPECT_EQ(parsed->stderr_text, fake_.stderr_text);
  EXPECT_EQ(parsed->stdout_text, fake_.stdout_text);
  EXPECT_EQ(parsed->object, fake_.object);
}

TEST_F(JobRunnerTest, LargeVersion2JobLargerThanTheSocketBuffers) {
  std::string source;
  for (int i = 0; source.size() < (12u << 20); ++i)
    source += "static int v" + std::to_string(i) + " = " + std::to_string(i) + ";\n";
  fake_.object = test::random_bytes(3u << 20);
  JobOutcome outcome = serve(request_bytes(2, kHello, source));
  ASSERT_EQ(fake_.calls, 1);
  EXPECT_TRUE(fake_.input_seen == source) << "the source arrived damaged";
  EXPECT_EQ(outcome.result, JobResult::compile_ok);
  auto parsed = reply(2);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->object == fake_.object) << "the object arrived damaged";
}

TEST_F(JobRunnerTest, VersionZeroIsServedAsVersionOne) {
  serve(request_bytes(0, kHello, kHelloSource));
  EXPECT_TRUE(starts_with(raw_reply(), "DONE00000000STAT00000000SERR00000000SOUT00000000DOTO"));
}

TEST_F(JobRunnerTest, InputAndOutputAreReplacedByFilesInThePrivateTempDir) {
  serve(request_bytes(
      1, {"x86_64-linux-gnu-gcc", "-O2", "-c", "src/hello.c", "-o", "obj/hello.o", "-g"},
      kHelloSource));
  ASSERT_EQ(fake_.calls, 1);
  const CompilerRun& run = fake_.last;
  EXPECT_TRUE(starts_with(run.workdir, jobs_.path() + "/distccd_")) << run.workdir;
  ASSERT_EQ(run.argv.size(), 7u);
  EXPECT_EQ(run.argv[0], "x86_64-linux-gnu-gcc");
  EXPECT_EQ(run.argv[1], "-O2");
  EXPECT_EQ(run.argv[2], "-c");
  EXPECT_EQ(run.argv[3], run.workdir + "/input.i");
  EXPECT_EQ(run.argv[4], "-o");
  EXPECT_EQ(run.argv[5], run.workdir + "/output.o");
  EXPECT_EQ(run.argv[6], "-g");
  EXPECT_EQ(fake_.input_seen, kHelloSource);
  EXPECT_TRUE(starts_with(run.stdout_path, run.workdir + "/"));
  EXPECT_TRUE(starts_with(run.stderr_path, run.workdir + "/"));
  EXPECT_EQ(run.env,
            (std::vector<std::pair<std::string, std::string>>{{"_DISTCC_SAFEGUARD", "1"}}));
  EXPECT_GE(run.client_fd, 0) << "the runner must watch the client for disconnection";
}

TEST_F(JobRunnerTest, JoinedOutputOptionAndCxxInputAreReplaced) {
  serve(request_bytes(1, {"g++", "-c", "shapes.cpp", "-oshapes.o"}, kHelloSource));
  ASSERT_EQ(fake_.calls, 1);
  const CompilerRun& run = fake_.last;
  EXPECT_EQ(run.argv, (std::vector<std::string>{"g++", "-c", run.workdir + "/input.ii",
                                                "-o" + run.workdir + "/output.o"}));
}

TEST_F(JobRunnerTest, AssemblyOutputAndMissingOutputName) {
  serve(request_bytes(1, {"gcc", "-S", "hello.c"}, kHelloSource));
  ASSERT_EQ(fake_.calls, 1);
  const CompilerRun& run = fake_.last;
  EXPECT_EQ(run.argv, (std::vector<std::string>{"gcc", "-S", run.workdir + "/input.i", "-o",
                                                run.workdir + "/output.s"}));
}

TEST_F(JobRunnerTest, AbsoluteUsrBinCompilerRunsByName) {
  serve(request_bytes(1, {"/usr/bin/gcc", "-c", "hello.c", "-o", "hello.o"}, kHelloSource));
  ASSERT_EQ(fake_.calls, 1);
  EXPECT_EQ(fake_.last.argv[0], "gcc");
}

TEST_F(JobRunnerTest, CommandListMapsTheCompilerToItsListedPath) {
  config_.allowlist.cmdlist = {"/opt/gcc-13/bin/gcc"};
  serve(request_bytes(1, kHello, kHelloSource));
  ASSERT_EQ(fake_.calls, 1);
  EXPECT_EQ(fake_.last.argv[0], "/opt/gcc-13/bin/gcc");
}

TEST_F(JobRunnerTest, DaemonPathAndLifetimeReachTheRunner) {
  config_.compiler_path = "/opt/bin:/usr/bin";
  config_.job_lifetime = 42s;
  serve(request_bytes(1, kHello, kHelloSource));
  ASSERT_EQ(fake_.calls, 1);
  EXPECT_EQ(fake_.last.path, std::optional<std::string>("/opt/bin:/usr/bin"));
  EXPECT_EQ(fake_.last.lifetime, 42s);
}

TEST_F(JobRunnerTest, EmptyObjectIsSentAsAnEmptyDoto) {
  fake_.object = "";
  serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(raw_reply(), "DONE00000001STAT00000000SERR00000000SOUT00000000DOTO00000000XCAP00000000");
}

TEST_F(JobRunnerTest, SaveTempsKeepsTheJobDirectory) {
  config_.save_temps = true;
  keep_temps_ = true;
  serve(request_bytes(1, kHello, kHelloSource));
  ASSERT_EQ(fake_.calls, 1);
  EXPECT_TRUE(std::filesystem::exists(fake_.last.workdir + "/input.i"));
}

// ---- compiler outcomes
// ---------------------------------------------------------------------------

TEST_F(JobRunnerTest, CompileErrorPassesStatusAndStderrWithAnEmptyObject) {
  fake_.outcome.wait_status = 1 << 8;
  fake_.stderr_text =
      "hello.c: In function 'main':\nhello.c:3:1: error: expected ';' before '}' token\n";
  JobOutcome outcome = serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(outcome.result, JobResult::compile_error);
  EXPECT_EQ(raw_reply(), "DONE00000001STAT00000100SERR" +
                             hex8(static_cast<std::uint32_t>(fake_.stderr_text.size())) +
                             fake_.stderr_text + "SOUT00000000DOTO00000000XCAP00000000");
  EXPECT_TRUE(contains(log_text(), "COMPILE_ERROR exit:1 sig:0")) << log_text();
}

TEST_F(JobRunnerTest, CompileErrorInVersion2) {
  fake_.outcome.wait_status = 1 << 8;
  fake_.stderr_text = "bad.c:1:1: error: unknown type name 'intt'\n";
  serve(request_bytes(2, {"gcc", "-c", "bad.c", "-o", "bad.o"}, "intt x;\n"));
  auto parsed = reply(2);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->wait_status, 1u << 8);
  EXPECT_EQ(parsed->stderr_text, fake_.stderr_text);
  EXPECT_EQ(parsed->object, "");
}

TEST_F(JobRunnerTest, CrashedCompilerPassesTheSignal) {
  fake_.outcome.wait_status = SIGSEGV | 0x80;
  fake_.stderr_text = "internal compiler error: Segmentation fault\n";
  JobOutcome outcome = serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(outcome.result, JobResult::compile_error);
  auto parsed = reply(1);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->wait_status, static_cast<std::uint32_t>(SIGSEGV | 0x80));
  EXPECT_TRUE(contains(log_text(), "exit:0 sig:11 core:1")) << log_text();
}

TEST_F(JobRunnerTest, TimedOutJobRepliesWithStatus118AndSaysWhy) {
  config_.job_lifetime = 5s;
  fake_.outcome.wait_status = SIGTERM;
  fake_.outcome.timed_out = true;
  JobOutcome outcome = serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(outcome.result, JobResult::compile_timeout);
  auto parsed = reply(1);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->wait_status, 118u << 8);
  EXPECT_TRUE(WIFEXITED(parsed->wait_status) && WEXITSTATUS(parsed->wait_status) == 118);
  EXPECT_EQ(parsed->object, "");
  // The daemon's warning about the job reaches the client in SERR, as 3.4's does.
  EXPECT_TRUE(contains(parsed->stderr_text, "exceeded the job lifetime of 5 s"))
      << parsed->stderr_text;
}

TEST_F(JobRunnerTest, ClientGoneDuringTheCompileGetsNoReply) {
  fake_.outcome.client_gone = true;
  fake_.outcome.wait_status = SIGTERM;
  JobOutcome outcome = serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(outcome.result, JobResult::client_disconnect);
  EXPECT_EQ(raw_reply(), "");
  EXPECT_TRUE(contains(log_text(), "CLI_DISCONN")) << log_text();
}

TEST_F(JobRunnerTest, MissingCompilerIsRefusedWithoutReply) {
  fake_.error = make_error(ExitCode::compiler_missing, "cannot find gcc on PATH");
  JobOutcome outcome = serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(outcome.result, JobResult::refused);
  EXPECT_EQ(raw_reply(), "");
  EXPECT_TRUE(contains(log_text(), "cannot find gcc on PATH")) << log_text();
}

TEST_F(JobRunnerTest, RunnerFailureIsOtherWithoutReply) {
  fake_.error = make_error(ExitCode::io_error, "poll failed");
  JobOutcome outcome = serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(outcome.result, JobResult::other);
  EXPECT_EQ(raw_reply(), "");
}

TEST_F(JobRunnerTest, SuccessWithoutAnObjectIsReportedAsAnError) {
  fake_.write_object = false;
  JobOutcome outcome = serve(request_bytes(1, kHello, kHelloSource));
  EXPECT_EQ(outcome.result, JobResult::other);
  auto parsed = reply(1);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->wait_status, static_cast<std::uint32_t>(to_int(ExitCode::io_error)) << 8);
  EXPECT_TRUE(contains(parsed->stderr_text, "wrote no output")) << parsed->stderr_text;
}

// ---- refusals
// ------------------------------------------------------------------------------------

TEST_F(JobRunnerTest, CompilerNotInTheAllowListIsRefused) {
  expect_refused(serve(request_bytes(1, {"tcc", "-c", "hello.c", "-o", "hello.o"}, kHelloSource)),
                 "tcc");
  EXPECT_TRUE(contains(log_text(), "not allowed")) << log_text();
}

TEST_F(JobRunnerTest, ShellAsCompilerIsRefused) {
  expect_refused(serve(request_bytes(1, {"sh", "-c", "hello.c", "-o", "hello.o"}, kHelloSource)),
                 "\"sh\" is not allowed");
}

TEST_F(JobRunnerTest, ShellCommandAsCompilerNameIsRefused) {
  expect_refused(serve(request_bytes(1, {"sh -c 'id>/tmp/pwned'", "-c", "hello.c", "-o", "hello.o"},
                                     kHelloSource)),
                 "spaces or control characters");
}

TEST_F(JobRunnerTest, ShellWithAScriptIsRefused) {
  // Not even a compile command: refused whichever rule sees it first.
  JobOutcome outcome = serve(request_bytes(1, {"sh", "-c", "id > /tmp/pwned"}, kHelloSource));
  expect_refused(outcome, "REJ_REFUSED");
}

TEST_F(JobRunnerTest, AbsolutePathCompilerIsRefused) {
  expect_refused(
      serve(request_bytes(1, {"/tmp/evil/gcc", "-c", "hello.c", "-o", "hello.o"}, kHelloSource)),
      "is a path");
}

TEST_F(JobRunnerTest, WrapperIsRefused) {
  expect_refused(
      serve(request_bytes(1, {"gcc", "-c", "hello.c", "-o", "hello.o", "-wrapper", "/bin/sh,-c,id"},
                          kHelloSource)),
      "wrapper");
}

TEST_F(JobRunnerTest, PluginIsRefused) {
  expect_refused(serve(request_bytes(1, {"gcc", "-c", "hello.c", "-o", "hello.o", "-fplugin=x"},
                                     kHelloSource)),
                 "plugin");
}

TEST_F(JobRunnerTest, UnsafeArgumentIsRefused) {
  expect_refused(
      serve(request_bytes(1, {"gcc", "-c", "hello.c", "-o", "hello.o", "-fdump-tree-all=/tmp/x"},
                          kHelloSource)),
      "-fdump-tree-all=/tmp/x");
}

TEST_F(JobRunnerTest, SourceThatEmbedsAServerFileIsRefused) {
  expect_refused(serve(request_bytes(2, kHello, "asm(\".incbin \\\"/etc/passwd\\\"\");\nint x;\n")),
                 "incbin");
}

TEST_F(JobRunnerTest, SourceWithAnIncludeIsRefused) {
  expect_refused(serve(request_bytes(1, {"gcc", "-x", "c", "-c", "hello.c", "-o", "hello.o"},
                                     "#include \"/etc/shadow\"\n")),
                 "#include");
}

TEST_F(JobRunnerTest, PreprocessingOnlyMustRunOnTheClient) {
  expect_refused(serve(request_bytes(1, {"gcc", "-E", "hello.c"}, kHelloSource)),
                 "must run on the client");
}

TEST_F(JobRunnerTest, LinkingMustRunOnTheClient) {
  expect_refused(serve(request_bytes(1, {"gcc", "hello.c", "-o", "hello"}, kHelloSource)),
                 "must run on the client");
}

TEST_F(JobRunnerTest, TwoSourcesMustRunOnTheClient) {
  expect_refused(serve(request_bytes(1, {"gcc", "-c", "a.c", "b.c"}, kHelloSource)),
                 "must run on the client");
}

// ---- malformed requests
// --------------------------------------------------------------------------

TEST_F(JobRunnerTest, ImmediateEndOfStream) { expect_bad_request(serve("", /*half_close=*/true)); }

TEST_F(JobRunnerTest, WrongFirstToken) {
  expect_bad_request(serve("ARGC00000001ARGV00000003gccDOTI00000000", true));
  EXPECT_TRUE(contains(log_text(), "protocol derailment: expected token DIST, got \"ARGC00000001"))
      << log_text();
}

TEST_F(JobRunnerTest, HttpRequest) {
  expect_bad_request(serve("GET / HTTP/1.0\r\n\r\n", /*half_close=*/false));
  EXPECT_TRUE(contains(log_text(), "GET / HTTP/1.0\\r\\n")) << log_text();
}

TEST_F(JobRunnerTest, RandomBytes) { expect_bad_request(serve(test::random_bytes(4096, 7), true)); }

TEST_F(JobRunnerTest, UnsupportedProtocolVersions) {
  for (auto [dist, version] : {std::pair{"DIST00000004", "4"}, std::pair{"DIST0000270f", "9999"}}) {
    fake_.calls = 0;
    ASSERT_EQ(::ftruncate(log_fd_.get(), 0), 0);  // one job's lines at a time
    expect_bad_request(serve(std::string(dist) + "ARGC00000001", /*half_close=*/false));
    EXPECT_TRUE(contains(log_text(), "unsupported protocol version " + std::string(version))) << log_text();
  }
}

std::string pump_request_bytes(const std::vector<PumpEntry>& entries, const std::vector<std::string>& argv) {
  PumpRequest request;
  request.cwd = "/home/u/proj";
  request.argv = argv;
  request.entries = entries;
  return wire_of([&](ProtocolWriter& out) { EXPECT_TRUE(send_pump_request(out, request).ok()); });
}

const std::vector<std::string> kPumpHello = {"gcc", "-c", "hello.c", "-o", "hello.o", "-I/home/u/proj/inc", "-MD", "-MF", "hello.d"};

TEST_F(JobRunnerTest, PumpJobCompilesInTheMirroredWorkingDirectory) {
  std::string root;
  fake_.write_deps = [&](const CompilerRun& run, const std::string& output, const std::string& deps) {
    root = run.workdir.substr(0, run.workdir.size() - std::string("/home/u/proj").size());
    test::spit(deps, output + ": hello.c " + root + "/home/u/proj/inc/h.h\n");
  };
  fake_.stderr_text = "note: from somewhere\n";
  auto outcome = serve(pump_request_bytes({{PumpEntry::Kind::file, "/home/u/proj/hello.c", "#include <h.h>\n"},
                                           {PumpEntry::Kind::file, "/home/u/proj/inc/h.h", "int h;\n"}},
                                          kPumpHello));
  EXPECT_EQ(outcome.result, JobResult::compile_ok);
  ASSERT_EQ(fake_.calls, 1);
  EXPECT_TRUE(root.size() > 5 && root.substr(root.size() - 5) == "/root") << fake_.last.workdir;
  EXPECT_EQ(fake_.workdir_entries, (std::set<std::string>{"hello.c", "inc"}));
  const auto& argv = fake_.last.argv;
  EXPECT_EQ(argv[0], "gcc");
  EXPECT_EQ(argv[1], "-ffile-prefix-map=" + root + "=");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-I" + root + "/home/u/proj/inc"), argv.end());
  auto parsed = reply(3);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->object, fake_.object);
  ASSERT_TRUE(parsed->dotd.has_value());
  EXPECT_EQ(*parsed->dotd, "hello.o: hello.c /home/u/proj/inc/h.h\n");
}

TEST_F(JobRunnerTest, PumpJobEscapingItsRootIsRefused) {
  expect_refused(serve(pump_request_bytes({{PumpEntry::Kind::file, "/home/../../etc/x", ""}}, kPumpHello)),
                 "contains \"..\"");
}

TEST_F(JobRunnerTest, PumpJobLinkingOutOfItsRootIsRefused) {
  std::string up;
  for (int i = 0; i < 60; ++i) up += "../";
  expect_refused(serve(pump_request_bytes({{PumpEntry::Kind::link, "/home/u/proj/inc", up + "etc"}}, kPumpHello)),
                 "points outside the job's root, to /etc");
}

TEST_F(JobRunnerTest, PumpJobWithAWrapperIsRefused) {
  auto argv = kPumpHello;
  argv.insert(argv.end(), {"-wrapper", "/bin/sh"});
  expect_refused(serve(pump_request_bytes({{PumpEntry::Kind::file, "/home/u/proj/hello.c", ""}}, argv)), "-wrapper");
}

TEST_F(JobRunnerTest, TruncatedPumpRequest) {
  expect_bad_request(serve("DIST00000003CDIR00000004/tmp", /*half_close=*/true));
}

TEST_F(JobRunnerTest, HugeArgumentCount) {
  expect_bad_request(serve("DIST00000001ARGCffffffff", /*half_close=*/false));
}

TEST_F(JobRunnerTest, ZeroArguments) {
  expect_bad_request(serve("DIST00000001ARGC00000000DOTI00000000", true));
}

TEST_F(JobRunnerTest, SourceClaimingFourGigabytesThenEndOfStream) {
  std::string request = request_bytes(1, kHello, "");
  ASSERT_TRUE(request.size() > 12 && request.substr(request.size() - 12) == "DOTI00000000");
  request.replace(request.size() - 8, 8, "ffffffff");
  expect_bad_request(serve(request + "int x;", /*half_close=*/true));
}

TEST_F(JobRunnerTest, SourceCutShort) {
  std::string request = request_bytes(1, kHello, kHelloSource);
  expect_bad_request(serve(request.substr(0, request.size() - 10), /*half_close=*/true));
  EXPECT_TRUE(contains(log_text(), "connection closed after")) << log_text();
}

TEST_F(JobRunnerTest, CorruptCompressedSource) {
  std::string request = request_bytes(2, kHello, "");
  request.replace(request.size() - 8, 8, "00000010");
  expect_bad_request(serve(request + std::string(16, '\xff'), /*half_close=*/true));
  EXPECT_TRUE(contains(log_text(), "corrupt LZO")) << log_text();
}

TEST_F(JobRunnerTest, SilentClientIsDroppedAfterTheIoTimeout) {
  expect_bad_request(serve("", /*half_close=*/false), config_.io_timeout + 1500ms);
  EXPECT_GE(took_, config_.io_timeout - 100ms);
}

TEST_F(JobRunnerTest, TricklingClientIsDroppedAtTheDeadline) {
  // One byte every 50 ms never trips the stall timeout; the overall deadline must.
  auto pair = make_socket_pair();
  UniqueFd client = std::move(pair.a);
  UniqueFd server = std::move(pair.b);
  std::string request = request_bytes(1, kHello, std::string(1000, ' '));
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  std::thread trickle([&] {
    std::unique_lock lock(mutex);
    for (char c : request) {
      if (!send_all(client.get(), std::string_view(&c, 1))) break;
      if (wake.wait_for(lock, 50ms, [&] { return stop; })) break;
    }
  });
  auto start = std::chrono::steady_clock::now();
  JobOutcome outcome = serve_job(server.get(), server.get(), kPeer, config_, fake_, log_);
  took_ = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);
  {
    std::lock_guard lock(mutex);
    stop = true;
  }
  wake.notify_all();
  trickle.join();
  server.reset();
  EXPECT_EQ(outcome.result, JobResult::bad_request);
  EXPECT_EQ(fake_.calls, 0);
  EXPECT_LT(took_, config_.io_timeout + 1500ms);
}

TEST(JobResultName, MatchesThe34Categories) {
  EXPECT_EQ(job_result_name(JobResult::compile_ok), "COMPILE_OK");
  EXPECT_EQ(job_result_name(JobResult::compile_error), "COMPILE_ERROR");
  EXPECT_EQ(job_result_name(JobResult::compile_timeout), "COMPILE_TIMEOUT");
  EXPECT_EQ(job_result_name(JobResult::client_disconnect), "CLI_DISCONN");
  EXPECT_EQ(job_result_name(JobResult::bad_request), "REJ_BAD_REQ");
  EXPECT_EQ(job_result_name(JobResult::refused), "REJ_REFUSED");
  EXPECT_EQ(job_result_name(JobResult::other), "OTHER");
}


TEST(JobSummaryLine, Is34sFormatWithExitSignalCoreAndRet) {
  JobOutcome outcome;
  outcome.result = JobResult::compile_error;
  outcome.wait_status = 1 << 8;
  outcome.elapsed = std::chrono::milliseconds(368);
  outcome.compiler = "x86_64-linux-gnu-gcc";
  outcome.input = "bad.c";
  EXPECT_EQ(job_summary_line("127.0.0.1:54610", outcome),
            "client: 127.0.0.1:54610 COMPILE_ERROR exit:1 sig:0 core:0 ret:0 time:368ms x86_64-linux-gnu-gcc bad.c");
  outcome.wait_status = SIGSEGV | 0x80;  // killed by a signal, with a core dump
  outcome.result = JobResult::compile_error;
  EXPECT_EQ(job_summary_line("p", outcome),
            "client: p COMPILE_ERROR exit:0 sig:11 core:1 ret:0 time:368ms x86_64-linux-gnu-gcc bad.c");
}

TEST(JobSummaryLine, RefusedJobWithoutNamesAndNamesCannotForgeLines) {
  JobOutcome outcome;
  outcome.result = JobResult::bad_request;
  outcome.ret = ExitCode::protocol_error;
  EXPECT_EQ(job_summary_line("p", outcome), "client: p REJ_BAD_REQ exit:0 sig:0 core:0 ret:109 time:0ms");
  outcome.compiler = "gcc";
  outcome.input = "x.c\ndistccd[1] info: client: forged";
  std::string line = job_summary_line("p", outcome);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
}

TEST(RefusalName, EveryReasonHasItsOwnLabel) {
  std::set<std::string_view> names;
  for (std::size_t r = 0; r < kRefusalCount; ++r) names.insert(refusal_name(static_cast<Refusal>(r)));
  EXPECT_EQ(names.size(), kRefusalCount);
  EXPECT_EQ(refusal_name(Refusal::access_denied), "access_denied");
  EXPECT_EQ(refusal_name(Refusal::unsafe_argument), "unsafe_argument");
}

}  // namespace
}  // namespace dcc
