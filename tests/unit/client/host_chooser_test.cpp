#include "client/host_chooser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <utime.h>

#include <set>

#include "client/host_files.h"
#include "common/host_spec.h"
#include "../test_support.h"

namespace dcc {
namespace {

using namespace std::chrono_literals;

HostList hosts_from(const std::string& text) {
  auto list = parse_hosts(text);
  EXPECT_TRUE(list.ok()) << list.error().message;
  return list.ok() ? *list : HostList{};
}

TEST(HostFiles, NamesAreDistcc34s) {
  HostList list = hosts_from("box:4000/2 [::1]:4632 @sshbox user@other/3:/opt/distccd localhost/2 plain");
  EXPECT_EQ(slot_lock_name(list.hosts[0], 0), "cpu_tcp_box_4000_0");
  EXPECT_EQ(slot_lock_name(list.hosts[1], 3), "cpu_tcp_::1_4632_3");
  EXPECT_EQ(slot_lock_name(list.hosts[2], 1), "cpu_ssh_sshbox_1");
  EXPECT_EQ(slot_lock_name(list.hosts[3], 2), "cpu_ssh_other_2");
  EXPECT_EQ(slot_lock_name(list.hosts[4], 1), "cpu_localhost_1");
  EXPECT_EQ(slot_lock_name(list.hosts[5], 0), "cpu_tcp_plain_3632_0");
  EXPECT_EQ(backoff_name(list.hosts[0]), "backoff_tcp_box_4000_0");
  EXPECT_EQ(backoff_name(list.hosts[2]), "backoff_ssh_sshbox_0");
  EXPECT_EQ(backoff_name(list.hosts[4]), "backoff_localhost_0");
  EXPECT_EQ(local_slot_lock_name(7), "cpu_localhost_7");
}

TEST(SlotSearchOrder, BreadthFirstInListOrder) {
  auto order = slot_search_order({2, 1, 3});
  std::vector<std::pair<std::size_t, int>> got;
  for (auto c : order) got.emplace_back(c.host_index, c.slot);
  std::vector<std::pair<std::size_t, int>> want{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {2, 1}, {2, 2}};
  EXPECT_EQ(got, want);
}

TEST(SlotSearchOrder, EmptyAndZeroLimits) {
  EXPECT_TRUE(slot_search_order({}).empty());
  EXPECT_EQ(slot_search_order({0, 1}).size(), 1u);
}

TEST(RandomizedOrder, IsAPermutationThatDependsOnTheSeed) {
  auto a = randomized_order(50, 1);
  auto b = randomized_order(50, 2);
  EXPECT_EQ(std::set<std::size_t>(a.begin(), a.end()).size(), 50u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, randomized_order(50, 1));
}

TEST(Backoff, WithinPeriodRule) {
  EXPECT_TRUE(is_within_backoff(100, 100, 60s));
  EXPECT_TRUE(is_within_backoff(100, 159, 60s));
  EXPECT_FALSE(is_within_backoff(100, 160, 60s));
  EXPECT_FALSE(is_within_backoff(100, 100, 0s));
  EXPECT_TRUE(is_within_backoff(130, 100, 60s));     // a little in the future: clock jitter
  EXPECT_FALSE(is_within_backoff(100000, 100, 60s));  // far future: not a ban forever
}

class ChooserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.ready());
    waiting.lock_dir = dir.path();
    waiting.pause = 20ms;
  }
  std::optional<SlotLock> hold(const std::string& name) {
    auto lock = SlotLock::try_acquire(dir.file(name));
    EXPECT_TRUE(lock.ok() && lock->has_value());
    return lock.ok() ? std::move(*lock) : std::nullopt;
  }
  test::ScratchDir dir{"chooser"};
  SlotWaiting waiting;
};

TEST_F(ChooserTest, SlotLocksConflictAndAreReleasedWithTheObject) {
  auto first = hold("cpu_tcp_a_3632_0");
  auto second = SlotLock::try_acquire(dir.file("cpu_tcp_a_3632_0"));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  first.reset();
  auto third = SlotLock::try_acquire(dir.file("cpu_tcp_a_3632_0"));
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->has_value());
}

TEST_F(ChooserTest, ClassicFcntlLocksOfAnotherProcessAreSeen) {
  // distcc 3.4 takes fcntl(F_SETLK) record locks; a child process plays that client.
  std::string path = dir.file("cpu_tcp_a_3632_0");
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0666);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    int ok = ::fcntl(fd, F_SETLK, &lock) == 0 ? 1 : 0;
    (void)!::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  EXPECT_EQ(ok, 1);
  auto lock = SlotLock::try_acquire(path);
  ASSERT_TRUE(lock.ok());
  EXPECT_FALSE(lock->has_value());
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  auto after = SlotLock::try_acquire(path);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->has_value());  // the dead client's slot is free again
}

TEST_F(ChooserTest, FillsSlotZeroOfEveryHostFirst) {
  HostList list = hosts_from("a/2 b/2 c/1");
  Backoff backoff(dir.path(), 60s);
  HostChooser chooser(list, backoff, waiting, 1);
  std::vector<HostSlot> held;
  std::vector<std::string> picked;
  for (int i = 0; i < 5; ++i) {
    auto slot = chooser.choose({});
    ASSERT_TRUE(slot.has_value());
    picked.push_back(slot->host->hostname + std::to_string(slot->slot));
    held.push_back(std::move(*slot));
  }
  EXPECT_EQ(picked, (std::vector<std::string>{"a0", "b0", "c0", "a1", "b1"}));
}

TEST_F(ChooserTest, SkipsDownExcludedAndBackedOffHosts) {
  HostList list = hosts_from("a,down b c d");
  Backoff backoff(dir.path(), 60s);
  backoff.dislike(list.hosts[2]);  // c
  HostChooser chooser(list, backoff, waiting, 1);
  auto slot = chooser.choose({&list.hosts[1]});  // b failed this job
  ASSERT_TRUE(slot.has_value());
  EXPECT_EQ(slot->host->hostname, "d");
  backoff.enjoy(list.hosts[2]);
  EXPECT_EQ(chooser.choose({&list.hosts[1]})->host->hostname, "c");
}

TEST_F(ChooserTest, NoUsableHostMeansNoChoiceRatherThanWaitingForever) {
  HostList list = hosts_from("a,down b");
  Backoff backoff(dir.path(), 60s);
  backoff.dislike(list.hosts[1]);
  HostChooser chooser(list, backoff, waiting, 1);
  EXPECT_FALSE(chooser.choose({}).has_value());
}

TEST_F(ChooserTest, WaitsWhileEveryslotIsBusyAndTakesTheFirstToFree) {
  HostList list = hosts_from("a/1 b/1");
  Backoff backoff(dir.path(), 60s);
  auto a = hold("cpu_tcp_a_3632_0");
  auto b = hold("cpu_tcp_b_3632_0");
  std::thread release([&] {
    std::this_thread::sleep_for(100ms);
    b.reset();
  });
  HostChooser chooser(list, backoff, waiting, 1);
  auto start = std::chrono::steady_clock::now();
  auto slot = chooser.choose({});
  release.join();
  ASSERT_TRUE(slot.has_value());
  EXPECT_EQ(slot->host->hostname, "b");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms);
}

TEST_F(ChooserTest, RandomizeShufflesPerSeed) {
  std::string text = "--randomize";
  for (int i = 0; i < 20; ++i) text += " h" + std::to_string(i);
  HostList list = hosts_from(text);
  Backoff backoff(dir.path(), 0s);
  std::set<std::string> firsts;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    SlotWaiting unlocked;  // no lock dir: nothing stays held between choosers
    HostChooser chooser(list, backoff, unlocked, seed);
    firsts.insert(chooser.choose({})->host->hostname);
  }
  EXPECT_GT(firsts.size(), 1u);
}

TEST_F(ChooserTest, LocalPoolIsSharedCpuLocalhostFiles) {
  auto zero = hold("cpu_localhost_0");
  HostSlot slot = acquire_local_slot(4, waiting);
  EXPECT_EQ(slot.slot, 1);
  EXPECT_TRUE(slot.lock.has_value());
  EXPECT_EQ(slot.host, nullptr);
}

TEST_F(ChooserTest, UnlockableDirectoryStillGivesASlot) {
  SlotWaiting broken = waiting;
  broken.lock_dir = dir.file("missing/dir");
  HostSlot slot = acquire_local_slot(2, broken);
  EXPECT_FALSE(slot.lock.has_value());
}

TEST_F(ChooserTest, BackoffFilesAreWhat34Reads) {
  HostList list = hosts_from("box:4000");
  Backoff backoff(dir.path(), 60s);
  EXPECT_FALSE(backoff.is_backed_off(list.hosts[0]));
  backoff.dislike(list.hosts[0]);
  EXPECT_TRUE(std::filesystem::exists(dir.file("backoff_tcp_box_4000_0")));
  EXPECT_TRUE(backoff.is_backed_off(list.hosts[0]));
  // An old mark no longer counts.
  struct utimbuf old {1000, 1000};
  ASSERT_EQ(::utime(dir.file("backoff_tcp_box_4000_0").c_str(), &old), 0);
  EXPECT_FALSE(backoff.is_backed_off(list.hosts[0]));
  backoff.dislike(list.hosts[0]);
  backoff.enjoy(list.hosts[0]);
  EXPECT_FALSE(std::filesystem::exists(dir.file("backoff_tcp_box_4000_0")));
  Backoff disabled(dir.path(), 0s);
  disabled.dislike(list.hosts[0]);
  EXPECT_FALSE(std::filesystem::exists(dir.file("backoff_tcp_box_4000_0")));
}

}  // namespace
}  // namespace dcc
