#include "common/temp_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../test_support.h"

namespace dcc {
namespace {

namespace fs = std::filesystem;

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Sets the process umask for one test and restores it afterwards.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

class TempFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(scratch_.ready()) << "cannot create a scratch dir under " << DCC_TEST_TMP;
  }
  test::ScratchDir scratch_{"temp_files"};
};

// ---- temp_root
// -----------------------------------------------------------------------------------

TEST_F(TempFilesTest, TempRootUsesAWritableTmpdirWithoutTrailingSlashes) {
  EXPECT_EQ(temp_root(scratch_.path().c_str()), scratch_.path());
  EXPECT_EQ(temp_root((scratch_.path() + "//").c_str()), scratch_.path());
}

TEST_F(TempFilesTest, TempRootFallsBackToTmp) {
  EXPECT_EQ(temp_root(nullptr), "/tmp");
  EXPECT_EQ(temp_root(""), "/tmp");
  EXPECT_EQ(temp_root((scratch_.path() + "/missing").c_str()), "/tmp");
}

// ---- TempDir
// -------------------------------------------------------------------------------------

TEST_F(TempFilesTest, TempDirIsCreatedUnderTheRootWithThePrefix) {
  auto dir = TempDir::create("distccd", scratch_.path());
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_EQ(dir->path().rfind(scratch_.path() + "/distccd_", 0), 0u) << dir->path();
  EXPECT_TRUE(fs::is_directory(dir->path()));
  EXPECT_EQ(mode_of(dir->path()), 0700u);
}

TEST_F(TempFilesTest, TempDirIsRemovedWithItsContentsOnDestruction) {
  std::string path;
  {
    auto dir = TempDir::create("job", scratch_.path());
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    path = dir->path();
    fs::create_directories(path + "/sub/deeper");
    test::spit(path + "/sub/deeper/file.o", "object");
    test::spit(path + "/input.i", "int x;");
    ::symlink("/etc/passwd", (path + "/link").c_str());
  }
  EXPECT_FALSE(exists(path));
  EXPECT_TRUE(exists("/etc/passwd"));  // symlinks are removed, never followed
  EXPECT_TRUE(scratch_.entries().empty());
}

TEST_F(TempFilesTest, KeptTempDirSurvives) {
  std::string path;
  {
    auto dir = TempDir::create("saved", scratch_.path());
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    path = dir->path();
    test::spit(path + "/input.i", "int x;");
    dir->keep();
  }
  EXPECT_TRUE(exists(path + "/input.i"));
}

TEST_F(TempFilesTest, MovedTempDirIsRemovedOnceByItsNewOwner) {
  std::string path;
  {
    auto dir = TempDir::create("moved", scratch_.path());
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    path = dir->path();
    TempDir owner = std::move(*dir);
    EXPECT_EQ(owner.path(), path);
    EXPECT_TRUE(dir->path().empty());
  }
  EXPECT_FALSE(exists(path));
}

TEST_F(TempFilesTest, MoveAssignmentRemovesTheDirectoryItReplaces) {
  auto first = TempDir::create("first", scratch_.path());
  auto second = TempDir::create("second", scratch_.path());
  ASSERT_TRUE(first.ok() && second.ok());
  std::string first_path = first->path();
  std::string second_path = second->path();
  *first = std::move(*second);
  EXPECT_FALSE(exists(first_path));
  EXPECT_TRUE(exists(second_path));
  EXPECT_EQ(first->path(), second_path);
}

TEST_F(TempFilesTest, TempDirInAMissingRootFails) {
  auto dir = TempDir::create("x", scratch_.path() + "/missing");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, ExitCode::io_error);
  EXPECT_NE(dir.error().message.find(scratch_.path() + "/missing"), std::string::npos);
}

// ---- AtomicFile
// ----------------------------------------------------------------------------------

TEST_F(TempFilesTest, TargetIsUntouchedUntilCommit) {
  std::string target = scratch_.file("hello.o");
  test::spit(target, "old object");
  auto file = AtomicFile::create(target);
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_TRUE(file->write("new ").ok());
  ASSERT_TRUE(file->write("object").ok());
  EXPECT_EQ(test::slurp(target), "old object");
  EXPECT_TRUE(exists(file->temp_path()));
  EXPECT_EQ(fs::path(file->temp_path()).parent_path(), fs::path(scratch_.path()));
  ASSERT_TRUE(file->commit().ok());
  EXPECT_EQ(test::slurp(target), "new object");
  EXPECT_FALSE(exists(file->temp_path()));
}

TEST_F(TempFilesTest, UncommittedTempFileIsRemovedAndTargetNeverAppears) {
  std::string target = scratch_.file("never.o");
  std::string temp;
  {
    auto file = AtomicFile::create(target);
    ASSERT_TRUE(file.ok()) << file.error().message;
    ASSERT_TRUE(file->write("half an object").ok());
    temp = file->temp_path();
    EXPECT_TRUE(exists(temp));
  }
  EXPECT_FALSE(exists(temp));
  EXPECT_FALSE(exists(target));
  EXPECT_TRUE(scratch_.entries().empty());
}

TEST_F(TempFilesTest, UncommittedFileLeavesAnExistingTargetAlone) {
  std::string target = scratch_.file("keep.o");
  test::spit(target, "precious");
  {
    auto file = AtomicFile::create(target);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->write("garbage").ok());
  }
  EXPECT_EQ(test::slurp(target), "precious");
  EXPECT_EQ(scratch_.entries(), std::vector<std::string>{"keep.o"});
}

TEST_F(TempFilesTest, MovedAtomicFileIsCleanedUpOnce) {
  std::string target = scratch_.file("moved.o");
  std::string temp;
  {
    auto file = AtomicFile::create(target);
    ASSERT_TRUE(file.ok());
    AtomicFile owner = std::move(*file);
    temp = owner.temp_path();
    EXPECT_TRUE(file->temp_path().empty());
    ASSERT_TRUE(owner.write("data").ok());
  }
  EXPECT_FALSE(exists(temp));
  EXPECT_FALSE(exists(target));
}

TEST_F(TempFilesTest, TempNamesDoNotCollide) {
  std::string target = scratch_.file("same.o");
  auto a = AtomicFile::create(target);
  auto b = AtomicFile::create(target);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->temp_path(), b->temp_path());
}

TEST_F(TempFilesTest, PermissionsFollowTheUmask) {
  for (mode_t mask : {mode_t{022}, mode_t{077}, mode_t{002}, mode_t{0}}) {
    ScopedUmask scoped(mask);
    std::string target = scratch_.file("mode_" + std::to_string(mask) + ".o");
    auto file = AtomicFile::create(target);
    ASSERT_TRUE(file.ok()) << file.error().message;
    ASSERT_TRUE(file->commit().ok());
    EXPECT_EQ(mode_of(target), 0666u & ~mask) << "umask " << std::oct << mask;
  }
}

TEST_F(TempFilesTest, RelativeTargetIsWrittenInTheCurrentDirectory) {
  std::string cwd = fs::current_path();
  fs::current_path(scratch_.path());
  auto status = write_file_atomically("relative.o", "rel");
  fs::current_path(cwd);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(test::slurp(scratch_.file("relative.o")), "rel");
  EXPECT_EQ(scratch_.entries(), std::vector<std::string>{"relative.o"});
}

TEST_F(TempFilesTest, CreateInAMissingDirectoryFails) {
  auto file = AtomicFile::create(scratch_.path() + "/missing/x.o");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, ExitCode::io_error);
  EXPECT_NE(file.error().message.find("x.o"), std::string::npos);
}

TEST_F(TempFilesTest, WriteFileAtomicallyReplacesAnExistingFile) {
  std::string target = scratch_.file("out.d");
  test::spit(target, "a much longer old content that must not survive in any part");
  ASSERT_TRUE(::chmod(target.c_str(), 0600) == 0);
  struct stat before {};
  ASSERT_EQ(::stat(target.c_str(), &before), 0);
  auto status = write_file_atomically(target, "new");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(test::slurp(target), "new");
  struct stat after {};
  ASSERT_EQ(::stat(target.c_str(), &after), 0);
  EXPECT_NE(after.st_ino, before.st_ino) << "replaced by rename, not rewritten in place";
  EXPECT_EQ(scratch_.entries(), std::vector<std::string>{"out.d"});
}

TEST_F(TempFilesTest, WriteFileAtomicallyCreatesEmptyFiles) {
  std::string target = scratch_.file("empty.o");
  ASSERT_TRUE(write_file_atomically(target, "").ok());
  EXPECT_TRUE(exists(target));
  EXPECT_EQ(fs::file_size(target), 0u);
}

TEST_F(TempFilesTest, RemoveTreeIgnoresMissingPaths) {
  remove_tree(scratch_.path() + "/not-there");
  fs::create_directories(scratch_.path() + "/a/b");
  remove_tree(scratch_.path() + "/a");
  EXPECT_TRUE(scratch_.entries().empty());
}

}  // namespace
}  // namespace dcc
