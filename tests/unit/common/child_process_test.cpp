#include "common/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "../test_support.h"

namespace dcc {
namespace {

using namespace std::chrono_literals;

// True once `pid` is gone or a zombie (killed, waiting for whoever adopted it to reap it).
bool process_is_dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  auto close_paren = line.rfind(')');
  if (close_paren == std::string::npos || close_paren + 2 >= line.size()) return true;
  char state = line[close_paren + 2];
  return state == 'Z' || state == 'X';
}

class ChildProcessTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(scratch_.ready()); }

  // An output file for a child's stdout or stderr.
  UniqueFd open_output(const std::string& name) {
    return UniqueFd(
        ::open(scratch_.file(name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  }

  test::ScratchDir scratch_{"child_process"};
};

TEST_F(ChildProcessTest, WaitReturnsTheRawExitStatus) {
  SpawnOptions options;
  options.argv = {"sh", "-c", "exit 3"};
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  EXPECT_GT(child->pid(), 0);
  auto status = child->wait();
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 3);
  EXPECT_EQ(exit_code_of(*status), 3);
}

TEST_F(ChildProcessTest, WaitingTwiceIsAnError) {
  SpawnOptions options;
  options.argv = {"true"};
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok());
  ASSERT_TRUE(child->wait().ok());
  EXPECT_FALSE(child->wait().ok());
}

// A shell that exits with `code` only once `gate` is closed (end of its input).
struct GatedChild {
  UniqueFd gate;
  std::optional<ChildProcess> child;
};

GatedChild spawn_gated(int code) {
  GatedChild gated;
  int gate[2];
  if (::pipe2(gate, O_CLOEXEC) != 0) return gated;
  UniqueFd gate_read(gate[0]);
  gated.gate.reset(gate[1]);
  SpawnOptions options;
  options.argv = {"sh", "-c", "read line; exit " + std::to_string(code)};
  options.stdin_fd = gate_read.get();
  auto child = ChildProcess::spawn(options);
  if (child) gated.child.emplace(std::move(*child));
  return gated;
}

TEST_F(ChildProcessTest, TryWaitReportsOnlyOnceTheChildHasExited) {
  auto [gate_write, child] = spawn_gated(7);
  ASSERT_TRUE(child.has_value());
  EXPECT_FALSE(child->try_wait().has_value());
  gate_write.reset();  // end of the child's input: `read` returns, the shell exits
  std::optional<int> status;
  EXPECT_TRUE(test::wait_until([&] { return (status = child->try_wait()).has_value(); }, 5000ms));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(exit_code_of(*status), 7);
}

TEST_F(ChildProcessTest, WaitForReturnsTheStatusOnceTheChildExits) {
  auto [gate_write, child] = spawn_gated(5);
  ASSERT_TRUE(child.has_value());
  EXPECT_FALSE(child->wait_for(50ms).has_value());  // still waiting for its input
  gate_write.reset();
  auto status = child->wait_for(5000ms);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(exit_code_of(*status), 5);
  EXPECT_FALSE(child->wait_for(10ms).has_value());  // already reaped: nothing more to report
}

TEST_F(ChildProcessTest, WaitForGivesUpAfterTheTimeout) {
  SpawnOptions options;
  options.argv = {"sleep", "30"};
  pid_t pid = -1;
  {
    auto child = ChildProcess::spawn(options);
    ASSERT_TRUE(child.ok()) << child.error().message;
    pid = child->pid();
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(child->wait_for(200ms).has_value());
    auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_GE(waited, 200ms);
    EXPECT_LT(waited, 5000ms);
  }
  EXPECT_TRUE(process_is_dead(pid));  // the destructor still kills what outlived the grace period
}

TEST_F(ChildProcessTest, ExitFdBecomesReadableWhenTheChildExits) {
  SpawnOptions options;
  options.argv = {"true"};
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok());
  if (child->exit_fd() < 0) GTEST_SKIP() << "pidfd_open is not available on this kernel";
  pollfd p{child->exit_fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 5000), 1);
  ASSERT_TRUE(child->wait().ok());
}

TEST_F(ChildProcessTest, RedirectsStdoutAndStderrToDescriptors) {
  UniqueFd out = open_output("out");
  UniqueFd err = open_output("err");
  ASSERT_TRUE(out && err);
  SpawnOptions options;
  options.argv = {"sh", "-c", "echo to-out; echo to-err >&2"};
  options.stdout_fd = out.get();
  options.stderr_fd = err.get();
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  ASSERT_TRUE(child->wait().ok());
  EXPECT_EQ(test::slurp(scratch_.file("out")), "to-out\n");
  EXPECT_EQ(test::slurp(scratch_.file("err")), "to-err\n");
}

TEST_F(ChildProcessTest, DevNullStdinReadsNothingAndDevNullOutputsSwallow) {
  UniqueFd out = open_output("out");
  SpawnOptions options;
  options.argv = {"sh", "-c", "wc -c; echo swallowed >&2"};
  options.stdin_fd = SpawnOptions::kDevNull;
  options.stdout_fd = out.get();
  options.stderr_fd = SpawnOptions::kDevNull;
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  auto status = child->wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(exit_code_of(*status), 0);
  EXPECT_EQ(test::slurp(scratch_.file("out")), "0\n");
}

TEST_F(ChildProcessTest, DevNullStdoutIsWritable) {
  SpawnOptions options;
  options.argv = {"sh", "-c", "echo hello || exit 9"};
  options.stdout_fd = SpawnOptions::kDevNull;
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok());
  auto status = child->wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(exit_code_of(*status), 0);
}

TEST_F(ChildProcessTest, WorkingDirectoryAndEnvironment) {
  UniqueFd out = open_output("out");
  SpawnOptions options;
  options.argv = {"sh", "-c", "pwd; echo \"$_DISTCC_SAFEGUARD\""};
  options.cwd = scratch_.path();
  options.stdout_fd = out.get();
  options.set_env = {{"_DISTCC_SAFEGUARD", "1"}};
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  ASSERT_TRUE(child->wait().ok());
  std::string real = std::filesystem::canonical(scratch_.path());
  EXPECT_EQ(test::slurp(scratch_.file("out")), real + "\n1\n");
}

TEST_F(ChildProcessTest, ProgramIsLookedUpOnTheGivenPath) {
  std::string bin = scratch_.file("bin");
  std::filesystem::create_directories(bin);
  test::spit(bin + "/fakecc", "#!/bin/sh\necho \"fake $*\"\n");
  ASSERT_EQ(::chmod((bin + "/fakecc").c_str(), 0755), 0);
  UniqueFd out = open_output("out");
  SpawnOptions options;
  options.argv = {"fakecc", "-c", "x.c"};
  options.path = "/nonexistent:" + bin + ":/usr/bin:/bin";
  options.stdout_fd = out.get();
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  ASSERT_TRUE(child->wait().ok());
  EXPECT_EQ(test::slurp(scratch_.file("out")), "fake -c x.c\n");
}

TEST_F(ChildProcessTest, MissingProgramIsCompilerMissing) {
  SpawnOptions options;
  options.argv = {"no-such-compiler-dcc-test", "-c", "x.c"};
  auto child = ChildProcess::spawn(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ExitCode::compiler_missing);
  EXPECT_NE(child.error().message.find("no-such-compiler-dcc-test"), std::string::npos);
}

TEST_F(ChildProcessTest, MissingAbsoluteProgramIsCompilerMissing) {
  SpawnOptions options;
  options.argv = {scratch_.file("absent-gcc")};
  auto child = ChildProcess::spawn(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ExitCode::compiler_missing);
}

TEST_F(ChildProcessTest, NonExecutableFileIsCompilerMissing) {
  std::string path = scratch_.file("not-exec");
  test::spit(path, "#!/bin/sh\nexit 0\n");
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  SpawnOptions options;
  options.argv = {path};
  auto child = ChildProcess::spawn(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ExitCode::compiler_missing);
}

TEST_F(ChildProcessTest, ProgramNotOnTheGivenPathIsCompilerMissing) {
  SpawnOptions options;
  options.argv = {"sh", "-c", "exit 0"};
  options.path = scratch_.path();
  auto child = ChildProcess::spawn(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ExitCode::compiler_missing);
}

TEST_F(ChildProcessTest, EmptyCommandLineIsRefused) {
  auto child = ChildProcess::spawn(SpawnOptions{});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ExitCode::bad_arguments);
}

TEST_F(ChildProcessTest, RunningChildIsKilledAndReapedOnDestruction) {
  pid_t pid = -1;
  auto start = std::chrono::steady_clock::now();
  {
    SpawnOptions options;
    options.argv = {"sleep", "100"};
    options.new_process_group = true;
    auto child = ChildProcess::spawn(options);
    ASSERT_TRUE(child.ok()) << child.error().message;
    pid = child->pid();
    EXPECT_EQ(::getpgid(pid), pid) << "the child leads its own process group";
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  // Reaped by the destructor: the pid is no longer our child.
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
  EXPECT_TRUE(process_is_dead(pid));
}

TEST_F(ChildProcessTest, DestructionKillsTheWholeProcessGroup) {
  // The shell starts a grandchild in the background and reports its pid; killing the group on
  // destruction must take the grandchild along (a compiler's `as` must not outlive the job).
  std::string pid_file = scratch_.file("grandchild.pid");
  pid_t grandchild = -1;
  {
    SpawnOptions options;
    options.argv = {"sh", "-c", "sleep 100 & echo $! > " + pid_file + "; wait"};
    options.new_process_group = true;
    auto child = ChildProcess::spawn(options);
    ASSERT_TRUE(child.ok()) << child.error().message;
    ASSERT_TRUE(test::wait_until(
        [&] { return test::slurp(pid_file).find('\n') != std::string::npos; }, 5000ms));
    grandchild = static_cast<pid_t>(std::stoi(test::slurp(pid_file)));
    EXPECT_FALSE(process_is_dead(grandchild));
  }
  EXPECT_TRUE(test::wait_until([&] { return process_is_dead(grandchild); }, 5000ms))
      << "grandchild " << grandchild << " survived its group's owner";
}

TEST_F(ChildProcessTest, ChildWithoutItsOwnGroupIsKilledToo) {
  pid_t pid = -1;
  {
    SpawnOptions options;
    options.argv = {"sleep", "100"};
    auto child = ChildProcess::spawn(options);
    ASSERT_TRUE(child.ok());
    pid = child->pid();
    EXPECT_EQ(::getpgid(pid), ::getpgid(0)) << "without new_process_group the child stays in ours";
  }
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, WNOHANG), -1);
  EXPECT_TRUE(process_is_dead(pid));
}

TEST_F(ChildProcessTest, MoveAssignmentKillsTheReplacedChild) {
  SpawnOptions sleeper;
  sleeper.argv = {"sleep", "100"};
  auto first = ChildProcess::spawn(sleeper);
  SpawnOptions quick;
  quick.argv = {"sh", "-c", "exit 5"};
  auto second = ChildProcess::spawn(quick);
  ASSERT_TRUE(first.ok() && second.ok());
  pid_t replaced = first->pid();
  *first = std::move(*second);
  EXPECT_TRUE(process_is_dead(replaced));
  auto status = first->wait();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(exit_code_of(*status), 5);
}

TEST_F(ChildProcessTest, KillDeliversTheSignal) {
  SpawnOptions options;
  options.argv = {"sleep", "100"};
  options.new_process_group = true;
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok());
  child->kill(SIGTERM);
  auto status = child->wait();
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(WIFSIGNALED(*status));
  EXPECT_EQ(WTERMSIG(*status), SIGTERM);
  EXPECT_EQ(exit_code_of(*status), 128 + SIGTERM);
}

TEST_F(ChildProcessTest, SignalsBlockedOrIgnoredByUsAreResetInTheChild) {
  // A compiler must die of SIGTERM even if the daemon ignores or blocks it.
  struct sigaction ignore {
  }, old_action{};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGTERM, &ignore, &old_action), 0);
  sigset_t block, old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);
  SpawnOptions options;
  options.argv = {"sleep", "100"};
  auto child = ChildProcess::spawn(options);
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGTERM, &old_action, nullptr);
  ASSERT_TRUE(child.ok());
  child->kill(SIGTERM);
  auto status = child->wait();
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(WIFSIGNALED(*status));
  EXPECT_EQ(WTERMSIG(*status), SIGTERM);
}

TEST(ExitCodeOf, ExitedSignaledAndStopped) {
  EXPECT_EQ(exit_code_of(0), 0);
  EXPECT_EQ(exit_code_of(1 << 8), 1);
  EXPECT_EQ(exit_code_of(118 << 8), 118);
  EXPECT_EQ(exit_code_of(255 << 8), 255);
  EXPECT_EQ(exit_code_of(SIGKILL), 128 + SIGKILL);
  EXPECT_EQ(exit_code_of(SIGSEGV | 0x80), 128 + SIGSEGV);  // with a core dump
  EXPECT_EQ(exit_code_of(0x7f | (SIGSTOP << 8)), to_int(ExitCode::distcc_failed));  // stopped
}

TEST(RunCapture, CapturesStdoutStderrAndStatus) {
  auto run = run_capture({"sh", "-c", "echo out; echo err >&2; exit 4"});
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(exit_code_of(run->wait_status), 4);
  EXPECT_EQ(run->out, "out\n");
  EXPECT_EQ(run->err, "err\n");
}

TEST(RunCapture, StdinIsDevNull) {
  auto run = run_capture({"cat"});
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->wait_status, 0);
  EXPECT_EQ(run->out, "");
}

TEST(RunCapture, OutputLargerThanAPipeBufferIsCaptured) {
  auto run =
      run_capture({"sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done"});
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->wait_status, 0);
  EXPECT_GT(run->out.size(), 65536u);
  EXPECT_EQ(run->out.substr(run->out.size() - 11), "line-19999\n");
}

TEST(RunCapture, MissingProgramIsCompilerMissing) {
  auto run = run_capture({"no-such-program-dcc-test"});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().code, ExitCode::compiler_missing);
}

}  // namespace
}  // namespace dcc
