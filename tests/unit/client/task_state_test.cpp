#include "client/task_state.h"

#include <cstring>

#include "client/distcc_dir.h"
#include "../test_support.h"

namespace dcc {
namespace {

template <typename T>
T field(const std::string& bytes, std::size_t offset) {
  T value{};
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

TEST(TaskState, EncodesDistcc34Layout) {
  TaskState s;
  s.pid = 4242;
  s.file = "util.c";
  s.host = "box";
  s.slot = 3;
  s.phase = TaskPhase::compile;
  std::string bytes = encode_task_state(s);
  ASSERT_EQ(bytes.size(), 296u);  // x86_64, as measured with 3.4's own struct
  EXPECT_EQ(field<std::size_t>(bytes, 0), 296u);
  EXPECT_EQ(field<unsigned long>(bytes, 8), 0x44494800UL);
  EXPECT_EQ(field<unsigned long>(bytes, 16), 4242UL);
  EXPECT_STREQ(bytes.data() + 24, "util.c");
  EXPECT_STREQ(bytes.data() + 152, "box");
  EXPECT_EQ(field<int>(bytes, 280), 3);
  EXPECT_EQ(field<int>(bytes, 284), 5);
  EXPECT_EQ(field<void*>(bytes, 288), nullptr);
}

TEST(TaskState, LongNamesAreCutAndTerminated) {
  TaskState s;
  s.file = std::string(300, 'f');
  s.host = std::string(200, 'h');
  std::string bytes = encode_task_state(s);
  EXPECT_EQ(std::strlen(bytes.data() + 24), 127u);
  EXPECT_EQ(std::strlen(bytes.data() + 152), 127u);
}

TEST(TaskStateFile, WrittenOnPhaseChangeAndRemovedAtTheEnd) {
  test::ScratchDir dir("state");
  ASSERT_TRUE(dir.ready());
  {
    TaskStateFile file(dir.path(), 77);
    EXPECT_TRUE(dir.entries().empty());
    file.set_file("/src/dir/main.c");
    file.set_host("box", 1);
    file.set_phase(TaskPhase::send);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"binstate_77"});
    std::string bytes = test::slurp(dir.file("binstate_77"));
    ASSERT_EQ(bytes.size(), 296u);
    EXPECT_STREQ(bytes.data() + 24, "main.c");
    EXPECT_EQ(field<int>(bytes, 284), 4);
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(TaskStateFile, EmptyDirectoryMeansNoFile) {
  TaskStateFile file("", 77);
  file.set_phase(TaskPhase::compile);  // must not crash or write anywhere
}

TEST(DistccDir, CreatesMissingDirectoriesWithTheirParents) {
  test::ScratchDir dir("dccdir");
  ASSERT_TRUE(dir.ready());
  auto lock = ensure_distcc_subdir(dir.file("portage/.distcc/"), "lock");
  ASSERT_TRUE(lock.ok()) << lock.error().message;
  EXPECT_EQ(*lock, dir.file("portage/.distcc/lock"));
  EXPECT_TRUE(std::filesystem::is_directory(*lock));
  auto again = ensure_distcc_subdir(dir.file("portage/.distcc"), "lock");
  EXPECT_TRUE(again.ok());
}

TEST(DistccDir, AFileInTheWayIsANamedError) {
  test::ScratchDir dir("dccdir");
  ASSERT_TRUE(dir.ready());
  test::spit(dir.file("plainfile"), "x");
  auto lock = ensure_distcc_subdir(dir.file("plainfile"), "lock");
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("plainfile"), std::string::npos);
}

}  // namespace
}  // namespace dcc
