// distcc 3.4's per-process state record (`struct dcc_task_state`, state.h), the on-disk format of
// $DISTCC_DIR/state/binstate_<pid>: written by our client, read by our monitors, and by and for
// the stock 3.4 programs. Declared member for member, so this machine's compiler lays it out as
// 3.4's did (296 bytes on LP64 Linux).
#pragma once

#include <cstddef>

namespace dcc {

// 3.4's enum dcc_phase; the numbers are on disk.
enum class TaskPhase : unsigned { startup = 0, blocked = 1, connect = 2, preprocess = 3, send = 4, compile = 5, receive = 6, done = 7 };

inline constexpr unsigned long kTaskStateMagic = 0x44494800UL;  // "DIH\0"

struct TaskStateRecord {
  std::size_t struct_size;
  unsigned long magic;
  unsigned long cpid;
  char file[128];
  char host[128];
  int slot;
  unsigned curr_phase;  // a C enum without negative members: unsigned int for GCC, as in 3.4
  void* next;           // a list pointer in the writer's memory: meaningless on disk (we write 0)
};

inline constexpr std::size_t kTaskStateRecordSize = sizeof(TaskStateRecord);
static_assert(sizeof(void*) != 8 || kTaskStateRecordSize == 296, "3.4's LP64 record is 296 bytes");
static_assert(offsetof(TaskStateRecord, host) == 8 + 2 * sizeof(unsigned long) + 128);

}  // namespace dcc
