#include "common/interrupt_cleanup.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <ctime>

namespace dcc {
namespace {

// A client holds a handful of paths at once (temp dir, .o and .d temps, state file).
constexpr int kSlots = 32;

struct Entry {
  std::atomic<int> state{0};  // 0 free, 1 being written, 2 file, 3 directory, 4 process group
  pid_t leader = 0;
  char path[PATH_MAX];
};
constexpr int kProcessGroup = 4;

std::array<Entry, kSlots>& table() {
  static std::array<Entry, kSlots> entries;
  return entries;
}

// getdents64 by system call: opendir/readdir may allocate, which a signal handler must not.
struct LinuxDirent64 {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

void empty_directory(const char* path) {
  int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  alignas(8) char buffer[4096];
  for (;;) {
    long n = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer);
    if (n <= 0) break;
    for (long offset = 0; offset < n;) {
      auto* entry = reinterpret_cast<LinuxDirent64*>(buffer + offset);
      offset += entry->d_reclen;
      if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
      ::unlinkat(fd, entry->d_name, 0);
    }
  }
  ::close(fd);
}

// SIGKILL, reap the leader (our child), then wait (at most half a second) until the rest of the
// group, which is not ours to reap, is gone too. Only async-signal-safe calls.
void kill_group(pid_t leader) {
  ::kill(-leader, SIGKILL);
  while (::waitpid(leader, nullptr, 0) < 0 && errno == EINTR) {
  }
  timespec pause{0, 1'000'000};
  for (int i = 0; i < 500 && ::kill(-leader, 0) == 0; ++i) ::nanosleep(&pause, nullptr);
}

extern "C" void remove_registered_and_die(int sig) {
  for (auto& entry : table()) {
    if (entry.state.load(std::memory_order_acquire) == kProcessGroup) kill_group(entry.leader);
  }
  for (auto& entry : table()) {
    int state = entry.state.load(std::memory_order_acquire);
    if (state == 2) ::unlink(entry.path);
    if (state == 3) {
      empty_directory(entry.path);
      ::rmdir(entry.path);
    }
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

InterruptCleanup::InterruptCleanup(const std::string& path, CleanupKind kind) {
  if (path.size() >= PATH_MAX) return;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    Entry& entry = table()[static_cast<std::size_t>(i)];
    if (!entry.state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) continue;
    std::memcpy(entry.path, path.c_str(), path.size() + 1);
    entry.state.store(kind == CleanupKind::file ? 2 : 3, std::memory_order_release);
    slot_ = i;
    return;
  }
}

InterruptCleanup InterruptCleanup::for_process_group(pid_t leader) {
  InterruptCleanup handle;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    Entry& entry = table()[static_cast<std::size_t>(i)];
    if (!entry.state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) continue;
    entry.leader = leader;
    entry.state.store(kProcessGroup, std::memory_order_release);
    handle.slot_ = i;
    break;
  }
  return handle;
}

InterruptCleanup::InterruptCleanup(InterruptCleanup&& other) noexcept : slot_(other.slot_) { other.slot_ = -1; }

InterruptCleanup& InterruptCleanup::operator=(InterruptCleanup&& other) noexcept {
  if (this != &other) {
    release();
    slot_ = other.slot_;
    other.slot_ = -1;
  }
  return *this;
}

InterruptCleanup::~InterruptCleanup() { release(); }

void InterruptCleanup::release() {
  if (slot_ < 0) return;
  table()[static_cast<std::size_t>(slot_)].state.store(0, std::memory_order_release);
  slot_ = -1;
}

void install_interrupt_cleanup() {
  (void)table();  // initialised here, never first inside the handler
  struct sigaction action {};
  action.sa_handler = remove_registered_and_die;
  sigemptyset(&action.sa_mask);
  // While we clean up, the other two must wait; the handler ends by dying anyway.
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  sigaddset(&action.sa_mask, SIGHUP);
  action.sa_flags = SA_RESETHAND;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &action, nullptr);
}

}  // namespace dcc
