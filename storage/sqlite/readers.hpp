// A pool of read-only connections. In WAL mode a reader sees the last committed state and
// never waits for the writer; a thread leases a connection for one read and gives it back.
//
// Beginning and ending a WAL read snapshot takes file locks (fcntl) and a mutex shared by
// every connection of the process, which costs more than a verification's lookup. So a
// connection keeps its snapshot across reads for as long as it is provably current: no
// commit of this ledger since it began (the writer calls committed() after each commit and
// before acknowledging it, so whoever saw an acknowledgement reads the write), and no older
// than `reuse`, which bounds how long a commit by another process stays unseen.
#pragma once

#include "storage/sqlite/db.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace coldtrace::storage::sql {

class readers {
 public:
  using clock = std::chrono::steady_clock;

  readers(std::filesystem::path file, int busy_timeout_ms, std::chrono::milliseconds reuse);
  // Connections from `open` (PostgreSQL's, for instance).
  readers(std::function<connection()> open, std::chrono::milliseconds reuse);

  struct slot {
    std::unique_ptr<connection> c;
    bool in_snapshot = false;  // a BEGIN is open on c
    std::uint64_t generation = 0;
    clock::time_point since;
  };

  class lease {
   public:
    lease(readers& pool, slot s) : pool_(&pool), s_(std::move(s)) {}
    lease(lease&&) noexcept = default;
    lease& operator=(lease&&) = delete;
    ~lease();
    connection& operator*() const { return *s_.c; }
    connection* operator->() const { return s_.c.get(); }
    // After a failed read: the snapshot is dropped rather than trusted again.
    void discard_snapshot() noexcept { end_snapshot(s_); }

   private:
    friend class readers;
    readers* pool_;
    slot s_;
  };

  // An idle connection, or a new one when all are busy (the pool grows to the peak number of
  // concurrent readers and keeps them; each keeps its prepared statements), inside a
  // snapshot that includes every commit acknowledged so far.
  lease acquire();

  // The writer's call after each commit, before any acknowledgement: every snapshot begun
  // before it is stale. Idle connections end theirs now, so that none holds the WAL back.
  void committed();

  // A checkpoint is waiting for the reads in progress. While held, idle connections end their
  // snapshots and new snapshots wait (200 ms at most) until hold(false): SQLite lets a new
  // reader share the WAL position of an older one when every position is taken, and
  // continuous readers would then keep an old position alive for ever.
  void hold(bool on);

 private:
  static void end_snapshot(slot& s) noexcept;
  void give_back(slot s);

  std::function<connection()> open_;
  std::chrono::milliseconds reuse_;
  std::atomic<std::uint64_t> generation_{0};
  std::mutex mutex_;
  std::vector<slot> idle_;
  std::atomic<bool> held_{false};
  std::condition_variable resumed_;
};

}  // namespace coldtrace::storage::sql
