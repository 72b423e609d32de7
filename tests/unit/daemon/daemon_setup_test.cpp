#include "daemon/daemon_setup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/temp_files.h"

namespace dcc {
namespace {

// A masquerade directory laid out as Gentoo's: compiler links plus the compat link bin -> .
class MasqueradeDir : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = TempDir::create("daemon_setup_test", DCC_TEST_TMP);
    ASSERT_TRUE(made) << made.error().message;
    dir_.emplace(std::move(*made));
    ASSERT_TRUE(write_file_atomically(path("distcc"), "#!/bin/sh\n"));
    ASSERT_EQ(::chmod(path("distcc").c_str(), 0755), 0);
    ASSERT_TRUE(write_file_atomically(path("notes"), "not a program\n"));
    ASSERT_EQ(::symlink("distcc", path("gcc").c_str()), 0);
    ASSERT_EQ(::symlink(".", path("bin").c_str()), 0);
    ASSERT_EQ(::symlink("missing", path("dangling").c_str()), 0);
  }
  std::string path(const std::string& name) const { return dir_->path() + "/" + name; }
  std::optional<TempDir> dir_;
};

TEST_F(MasqueradeDir, CompilerLinksAndProgramsAreAllowed) {
  EXPECT_TRUE(is_allowlisted_program(path("gcc")));
  EXPECT_TRUE(is_allowlisted_program(path("distcc")));
}

TEST_F(MasqueradeDir, TheBinCompatLinkIsNotACompiler) {
  EXPECT_FALSE(is_allowlisted_program(path("bin")));
  EXPECT_FALSE(is_allowlisted_program(dir_->path()));
}

TEST_F(MasqueradeDir, PlainFilesAndDanglingLinksAreRefused) {
  EXPECT_FALSE(is_allowlisted_program(path("notes")));
  EXPECT_FALSE(is_allowlisted_program(path("dangling")));
  EXPECT_FALSE(is_allowlisted_program(path("nothing-here")));
}

TEST_F(MasqueradeDir, TheRuntimeUsesThisCheck) {
  DaemonOptions options;
  auto rt = make_runtime(options, Environment{}, false);
  ASSERT_TRUE(rt) << rt.error().message;
  EXPECT_FALSE(rt->job.is_executable(path("bin")));
  EXPECT_TRUE(rt->job.is_executable(path("gcc")));
}

}  // namespace
}  // namespace dcc
