#include "daemon/header_cache.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../test_support.h"

namespace dcc {
namespace {

namespace fs = std::filesystem;

std::string body_of(int n, std::size_t size = 1000) {
  std::string body = test::random_bytes(size, 0x1234 + static_cast<std::uint64_t>(n));
  return body;
}

std::unique_ptr<HeaderCache> make_cache(const test::ScratchDir& scratch, std::uint64_t limit) {
  auto cache = HeaderCache::create(scratch.path(), limit);
  EXPECT_TRUE(cache.ok()) << cache.error().message;
  return std::move(*cache);
}

TEST(HeaderCache, StoredBodyIsFetchedBack) {
  test::ScratchDir scratch;
  auto cache = make_cache(scratch, 1 << 20);
  std::string body = body_of(1);
  EXPECT_FALSE(cache->fetch(sha256(body)).body);
  cache->store(sha256(body), body);
  auto fetched = cache->fetch(sha256(body));
  ASSERT_TRUE(fetched.body);
  EXPECT_EQ(*fetched.body, body);
  EXPECT_FALSE(fetched.removed_corrupt);
  EXPECT_EQ(cache->bytes_stored(), body.size());
  cache->store(sha256(body), body);  // twice: counted once
  EXPECT_EQ(cache->bytes_stored(), body.size());
}

TEST(HeaderCache, CorruptEntryIsRemovedAndReportedNeverReturned) {
  test::ScratchDir scratch;
  auto cache = make_cache(scratch, 1 << 20);
  std::string body = body_of(2);
  cache->store(sha256(body), body);
  std::string entry = cache->path() + "/" + to_hex(sha256(body));
  std::string damaged = body;
  damaged[500] ^= 0x01;
  test::spit(entry, damaged);
  auto fetched = cache->fetch(sha256(body));
  EXPECT_FALSE(fetched.body);
  EXPECT_TRUE(fetched.removed_corrupt);
  EXPECT_FALSE(fs::exists(entry));
  // A truncated entry too.
  cache->store(sha256(body), body);
  test::spit(entry, body.substr(0, 10));
  EXPECT_FALSE(cache->fetch(sha256(body)).body);
  // And a symlink planted under an entry's name is not followed.
  test::spit(scratch.path() + "/elsewhere", body);
  fs::create_symlink(scratch.path() + "/elsewhere", entry);
  EXPECT_FALSE(cache->fetch(sha256(body)).body);
}

TEST(HeaderCache, LeastRecentlyUsedEntriesGoFirstWhenOverTheLimit) {
  test::ScratchDir scratch;
  auto cache = make_cache(scratch, 10'000);  // room for ten 1000-byte bodies
  std::vector<std::string> bodies;
  for (int i = 0; i < 10; ++i) {
    bodies.push_back(body_of(i));
    cache->store(sha256(bodies.back()), bodies.back());
  }
  EXPECT_EQ(cache->bytes_stored(), 10'000u);
  // Make the order of use explicit (mtime resolution): body 0 is the oldest but used last.
  for (int i = 0; i < 10; ++i) {
    timespec times[2] = {{1'000'000 + i, 0}, {1'000'000 + i, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, (cache->path() + "/" + to_hex(sha256(bodies[i]))).c_str(), times, 0), 0);
  }
  ASSERT_TRUE(cache->fetch(sha256(bodies[0])).body);  // touched: now the most recent
  std::string more = body_of(99);
  cache->store(sha256(more), more);  // 11000 > 10000: evict down to 7500
  EXPECT_LE(cache->bytes_stored(), 7'500u);
  EXPECT_TRUE(cache->fetch(sha256(more)).body);
  EXPECT_TRUE(cache->fetch(sha256(bodies[0])).body);
  EXPECT_FALSE(cache->fetch(sha256(bodies[1])).body);  // the least recently used went
  EXPECT_FALSE(cache->fetch(sha256(bodies[2])).body);
  EXPECT_TRUE(cache->fetch(sha256(bodies[9])).body);
  std::uint64_t on_disk = 0;
  for (const auto& e : fs::directory_iterator(cache->path())) {
    if (e.path().filename().string().size() == 64) on_disk += e.file_size();
  }
  EXPECT_EQ(on_disk, cache->bytes_stored());
}

TEST(HeaderCache, BodyLargerThanTheWholeCacheIsNotStored) {
  test::ScratchDir scratch;
  auto cache = make_cache(scratch, 500);
  std::string body = body_of(3);
  cache->store(sha256(body), body);
  EXPECT_FALSE(cache->fetch(sha256(body)).body);
  EXPECT_EQ(cache->bytes_stored(), 0u);
}

TEST(HeaderCache, WorkerProcessesShareEntriesAndTheCounter) {
  test::ScratchDir scratch;
  auto cache = make_cache(scratch, 1 << 20);
  std::string body = body_of(4);
  pid_t child = ::fork();
  if (child == 0) {
    cache->store(sha256(body), body);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_EQ(cache->bytes_stored(), body.size());
  EXPECT_TRUE(cache->fetch(sha256(body)).body);
}

TEST(HeaderCache, DirectoryIsRemovedByItsCreatorAndLeftoversOfDeadDaemonsAtStart) {
  test::ScratchDir scratch;
  // A directory named for a process that no longer exists: a daemon that was killed.
  pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ::waitpid(gone, nullptr, 0);
  std::string stale = scratch.path() + "/distccd-headers-" + std::to_string(gone) + "-abcdef";
  fs::create_directories(stale);
  test::spit(stale + "/" + std::string(64, 'a'), "old");
  std::string live = scratch.path() + "/distccd-headers-" + std::to_string(::getpid()) + "-zzzzzz";
  fs::create_directories(live);
  std::string path;
  {
    auto cache = make_cache(scratch, 1 << 20);
    path = cache->path();
    EXPECT_TRUE(fs::is_directory(path));
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_all);
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_TRUE(fs::exists(live));  // its daemon (this process) still runs
  }
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace dcc
