#include "daemon/compiler_runner.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <string>

#include "../test_support.h"

namespace dcc {
namespace {

using namespace std::chrono_literals;

class CompilerRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(scratch_.ready()); }
  test::ScratchDir scratch_{"compiler_runner"};
};

TEST_F(CompilerRunnerTest, OutputWithinTheLimitIsReadWhole) {
  test::spit(scratch_.file("err"), "a.c:1:1: warning: x\n");
  auto text = read_compiler_output(scratch_.file("err"), 100);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "a.c:1:1: warning: x\n");
}

TEST_F(CompilerRunnerTest, OutputBeyondTheLimitIsCutWithOneLineSayingSo) {
  test::spit(scratch_.file("err"), std::string(1000, 'w'));
  auto text = read_compiler_output(scratch_.file("err"), 100);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->substr(0, 101), std::string(100, 'w') + "\n");
  EXPECT_NE(text->find("compiler output cut here: 900 more bytes"), std::string::npos) << *text;
  EXPECT_LT(text->size(), 300u);
  EXPECT_EQ(text->back(), '\n');
}

TEST_F(CompilerRunnerTest, MissingOutputIsAnError) {
  EXPECT_FALSE(read_compiler_output(scratch_.file("none")));
}

// A compiler deaf to SIGTERM that runs past its lifetime is killed after the grace period
// instead of holding the job (and a stopping daemon) forever.
TEST_F(CompilerRunnerTest, CompilerIgnoringSigtermIsKilledAfterTheGrace) {
  CompilerRun run;
  run.argv = {"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"};
  run.workdir = scratch_.path();
  run.stdout_path = scratch_.file("out");
  run.stderr_path = scratch_.file("err");
  run.lifetime = 1s;
  run.stop_grace = 200ms;
  ProcessCompilerRunner runner;
  auto start = std::chrono::steady_clock::now();
  auto outcome = runner.run(run);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->timed_out);
  EXPECT_TRUE(WIFSIGNALED(outcome->wait_status));
  EXPECT_EQ(WTERMSIG(outcome->wait_status), SIGKILL);
  EXPECT_LT(took, 5s);
}

TEST_F(CompilerRunnerTest, CompilerHonouringSigtermIsNotKilled) {
  CompilerRun run;
  run.argv = {"/bin/sh", "-c", "while :; do sleep 0.05; done"};
  run.workdir = scratch_.path();
  run.stdout_path = scratch_.file("out");
  run.stderr_path = scratch_.file("err");
  run.lifetime = 1s;
  run.stop_grace = 10s;
  ProcessCompilerRunner runner;
  auto start = std::chrono::steady_clock::now();
  auto outcome = runner.run(run);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->timed_out);
  EXPECT_TRUE(WIFSIGNALED(outcome->wait_status));
  EXPECT_EQ(WTERMSIG(outcome->wait_status), SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
}  // namespace dcc
