#include "common/interrupt_cleanup.h"

#include <sys/wait.h>

#include <csignal>

#include "../test_support.h"
#include "common/child_process.h"
#include "common/temp_files.h"

namespace dcc {
namespace {

// Runs `body` in a child process that then kills itself with `sig`; returns its wait status.
template <typename Body>
int in_child_killed_by(int sig, Body body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    install_interrupt_cleanup();
    body();
    ::kill(::getpid(), sig);
    ::_exit(0);  // not reached when the signal works
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(InterruptCleanup, FatalSignalRemovesTempDirsAndUncommittedFiles) {
  test::ScratchDir dir("interrupt");
  ASSERT_TRUE(dir.ready());
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    int status = in_child_killed_by(sig, [&] {
      auto temp = TempDir::create("job", dir.path());
      test::spit(temp->path() + "/cpp.i", "int x;");
      test::spit(temp->path() + "/cpp.stderr", "");
      auto object = AtomicFile::create(dir.file("out.o"));
      (void)object->write("partial");
      auto done = AtomicFile::create(dir.file("done.o"));
      (void)done->write("whole");
      (void)done->commit();
      InterruptCleanup state(dir.file("binstate_1"), CleanupKind::file);
      test::spit(dir.file("binstate_1"), "x");
      auto kept = TempDir::create("kept", dir.path());
      kept->keep();
      // Leak everything on purpose: only the handler can clean up now.
      new TempDir(std::move(*temp));
      new AtomicFile(std::move(*object));
      new InterruptCleanup(std::move(state));
    });
    ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << sig;
    EXPECT_EQ(WTERMSIG(status), sig);
    auto entries = dir.entries();
    ASSERT_EQ(entries.size(), 2u) << "signal " << sig << ": " << ::testing::PrintToString(entries);
    EXPECT_EQ(entries[0], "done.o");
    EXPECT_EQ(entries[1].rfind("kept_", 0), 0u);  // DISTCC_SAVE_TEMPS directories stay
    std::filesystem::remove_all(dir.file(entries[1]));
    std::filesystem::remove(dir.file("done.o"));
  }
}

TEST(InterruptCleanup, ReleasedPathsAreLeftAlone) {
  test::ScratchDir dir("interrupt");
  ASSERT_TRUE(dir.ready());
  int status = in_child_killed_by(SIGTERM, [&] {
    test::spit(dir.file("keep.me"), "x");
    auto* handle = new InterruptCleanup(dir.file("keep.me"), CleanupKind::file);
    handle->release();
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"keep.me"});
}

// A preprocessor still running when distcc is killed must not write its files after the cleanup:
// its group is killed before anything is removed.
TEST(InterruptCleanup, RegisteredChildGroupIsKilledBeforeItCanWriteMore) {
  test::ScratchDir dir("interrupt");
  ASSERT_TRUE(dir.ready());
  std::string late = dir.file("late.d");
  int status = in_child_killed_by(SIGTERM, [&] {
    SpawnOptions options;
    options.argv = {"/bin/sh", "-c", "sleep 0.3; echo late >" + late};
    options.new_process_group = true;
    options.kill_on_interrupt = true;
    auto child = ChildProcess::spawn(options);
    if (!child) ::_exit(3);
    new ChildProcess(std::move(*child));  // leaked: only the handler can stop it now
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(InterruptCleanup, ReapedChildIsNoLongerRegistered) {
  SpawnOptions options;
  options.argv = {"/bin/true"};
  options.new_process_group = true;
  options.kill_on_interrupt = true;
  // More children than the table has slots: each slot is given back when its child is reaped.
  for (int i = 0; i < 40; ++i) {
    auto child = ChildProcess::spawn(options);
    ASSERT_TRUE(child);
    ASSERT_TRUE(child->wait());
  }
  test::ScratchDir dir("interrupt");
  ASSERT_TRUE(dir.ready());
  int status = in_child_killed_by(SIGTERM, [&] {
    test::spit(dir.file("temp"), "x");
    new InterruptCleanup(dir.file("temp"), CleanupKind::file);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

}  // namespace
}  // namespace dcc
