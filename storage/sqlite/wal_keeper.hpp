// Keeps the write-ahead log small whatever the traffic. Internal to storage/.
//
// SQLite can only copy a WAL frame back into the database once no reader's snapshot is older
// than that frame, and can only start the WAL over from its beginning once every frame is
// copied and no reader uses the WAL at all. Its own auto-checkpoint runs inside COMMIT, while
// the readers still hold the snapshots the commit has just made stale (readers.hpp lets them
// go only after the commit), so under continuous traffic it never completes, the WAL is never
// restarted, and it grows until the disk is full.
//
// So the writer thread checkpoints itself, between batches, after the readers have let go:
// once the WAL holds `checkpoint_pages` frames, a RESTART checkpoint that waits at most
// `reader_wait` for the reads in progress. While it waits the pool ends its idle snapshots
// and holds new ones back (readers::hold): otherwise continuous readers can keep an old WAL
// position in use for ever. If a read is still running at the deadline, a later batch tries
// again with a longer wait (4 times at most), after letting four waits' worth of traffic by.
// When the writer is idle, a TRUNCATE empties the WAL file.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

struct sqlite3;

namespace coldtrace::storage::sql {

struct wal_stats {
  std::uint64_t frames = 0;            // frames written since the WAL last started over
  std::uint64_t checkpoints = 0;       // checkpoints that completed (the WAL starts over)
  std::uint64_t checkpoints_busy = 0;  // checkpoints a long read kept from completing
};

class wal_keeper {
 public:
  struct options {
    int checkpoint_pages = 256;
    std::chrono::milliseconds reader_wait{10};
    int busy_timeout_ms = 5000;  // the connection's own, restored after each checkpoint
  };

  // What the checkpoint asks of the reader pool (readers.hpp): `release`, to end the idle
  // snapshots; `hold`, to also keep new ones from starting while it waits (or stop that).
  struct reader_calls {
    std::function<void()> release;
    std::function<void(bool)> hold;
  };

  // Becomes the WAL hook of `db` (the write connection), which turns off SQLite's
  // auto-checkpoint.
  wal_keeper(sqlite3* db, reader_calls readers, options o);
  wal_keeper(const wal_keeper&) = delete;
  wal_keeper& operator=(const wal_keeper&) = delete;

  // The writer thread's calls, with no transaction open: after a batch has committed (and the
  // readers have been told), and when it has nothing to do.
  void after_batch();
  void when_idle();

  // Any thread.
  wal_stats stats() const;

 private:
  enum class outcome { done, busy, failed };
  outcome checkpoint(int mode, std::chrono::milliseconds wait);
  static int on_commit(void* self, sqlite3* db, const char* name, int frames);
  static int on_busy(void* self, int count);

  sqlite3* db_;
  reader_calls readers_;
  bool holding_ = false;
  options options_;
  bool unflushed_ = false;  // written to since the WAL file was last emptied
  int busy_in_a_row_ = 0;
  std::chrono::steady_clock::time_point retry_at_;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<std::uint64_t> frames_{0}, checkpoints_{0}, busy_{0};
};

}  // namespace coldtrace::storage::sql
