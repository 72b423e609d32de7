// Helpers shared by the unit tests: a per-test scratch directory, waiting with a deadline, and
// connected socket pairs for in-process protocol tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/exit_code.h"
#include "common/fd_io.h"
#include "common/protocol.h"
#include "common/unique_fd.h"

namespace dcc {
// gtest prints ExitCode values by name.
inline void PrintTo(ExitCode code, std::ostream* os) {
  *os << exit_code_name(code) << " (" << to_int(code) << ")";
}
}  // namespace dcc

namespace dcc::test {

// A fresh directory under the build tree, removed with everything in it when the test ends.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag = "scratch") {
    std::string pattern = std::string(DCC_TEST_TMP) + "/" + tag + "_XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  bool ready() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

  // Names of the entries directly inside the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(path_, ec)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void spit(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// Polls `done` until it holds or `timeout` passes; returns its last value. Never a bare sleep.
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// Two connected AF_UNIX stream sockets.
struct SocketPair {
  UniqueFd a;
  UniqueFd b;
};

inline SocketPair make_socket_pair() {
  int fds[2] = {-1, -1};
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0) << std::strerror(errno);
  return SocketPair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Writes everything on a blocking descriptor without raising SIGPIPE; false if the peer went away.
inline bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads until end of stream (blocking descriptor).
inline std::string read_to_eof(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// The 8 lowercase hex digits of a protocol header.
inline std::string hex8(std::uint32_t value) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", value);
  return buf;
}

// Everything a ProtocolWriter puts on the wire while `write` runs. The far end is read by a
// thread, so bodies larger than the socket buffer do not block the writer.
inline std::string wire_of(const std::function<void(ProtocolWriter&)>& write) {
  auto pair = make_socket_pair();
  std::string captured;
  std::thread reader([&] { captured = read_to_eof(pair.b.get()); });
  {
    ProtocolWriter out(pair.a.get(), std::chrono::milliseconds(5000));
    write(out);
  }
  pair.a.reset();
  reader.join();
  return captured;
}

// The far end of a socketpair playing back a script of bytes from a thread, then (optionally)
// closing its side. The near end is non-blocking, as the daemon and client use it.
class ScriptedPeer {
 public:
  explicit ScriptedPeer(std::string bytes, bool close_after = true) : pair_(make_socket_pair()) {
    EXPECT_TRUE(set_nonblocking(pair_.b.get()).ok());
    writer_ = std::thread([this, bytes = std::move(bytes), close_after] {
      send_all(pair_.a.get(), bytes);
      if (close_after) ::shutdown(pair_.a.get(), SHUT_WR);
    });
  }
  ~ScriptedPeer() {
    pair_.b.reset();  // a writer blocked on a full socket gets EPIPE and finishes
    writer_.join();
  }
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;

  int fd() const { return pair_.b.get(); }

 private:
  SocketPair pair_;
  std::thread writer_;
};

// Deterministic pseudo-random bytes (xorshift), incompressible enough for LZO.
inline std::string random_bytes(std::size_t size, std::uint64_t seed = 0x9e3779b97f4a7c15ULL) {
  std::string out(size, '\0');
  std::uint64_t x = seed;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

}  // namespace dcc::test
