#include "storage/sqlite/wal_keeper.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <thread>

namespace coldtrace::storage::sql {

wal_keeper::wal_keeper(sqlite3* db, reader_calls readers, options o)
    : db_(db), readers_(std::move(readers)), options_(o) {
  if (db_) sqlite3_wal_hook(db_, &wal_keeper::on_commit, this);
}

int wal_keeper::on_commit(void* self, sqlite3*, const char*, int frames) {
  auto& k = *static_cast<wal_keeper*>(self);
  k.frames_.store(static_cast<std::uint64_t>(frames), std::memory_order_relaxed);
  k.unflushed_ = true;
  return SQLITE_OK;
}

void wal_keeper::after_batch() {
  if (!db_) return;  // PostgreSQL: no WAL of ours to keep
  if (frames_.load(std::memory_order_relaxed) <
      static_cast<std::uint64_t>(options_.checkpoint_pages))
    return;
  const auto now = std::chrono::steady_clock::now();
  if (now < retry_at_) return;
  // A read outlived the last wait (a reader thread a busy machine's scheduler set aside, or
  // a long report): wait longer, up to 4 times, and let four waits' worth of batches and
  // reads through before the next try, so that a read lasting seconds costs the others a
  // fifth of their time at most.
  const auto wait = options_.reader_wait * (1 << std::min(busy_in_a_row_, 2));
  if (checkpoint(SQLITE_CHECKPOINT_RESTART, wait) == outcome::done) {
    busy_in_a_row_ = 0;
  } else {
    ++busy_in_a_row_;
    retry_at_ = std::chrono::steady_clock::now() + 4 * wait;
  }
}

void wal_keeper::when_idle() {
  if (!db_) return;
  if (unflushed_ && checkpoint(SQLITE_CHECKPOINT_TRUNCATE, options_.reader_wait) == outcome::done)
    unflushed_ = false;
}

wal_keeper::outcome wal_keeper::checkpoint(int mode, std::chrono::milliseconds wait) {
  readers_.release();
  const auto start = std::chrono::steady_clock::now();
  deadline_ = start + wait;
  sqlite3_busy_handler(db_, &wal_keeper::on_busy, this);
  int log = 0, copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, mode, &log, &copied);
  sqlite3_busy_timeout(db_, options_.busy_timeout_ms);
  if (holding_) {
    holding_ = false;
    readers_.hold(false);
  }
  if (rc == SQLITE_OK) {
    // Every frame is in the database and no reader uses the WAL: the next commit writes it
    // from its start (and the file is cut back to journal_size_limit).
    frames_.store(0, std::memory_order_relaxed);
    checkpoints_.fetch_add(1, std::memory_order_relaxed);
    return outcome::done;
  }
  // Busy: a read outlived the wait; what could be copied was. Another error (a full disk, an
  // I/O error) fails the next commit too, where the caller hears of it.
  if (log >= 0) frames_.store(static_cast<std::uint64_t>(log), std::memory_order_relaxed);
  busy_.fetch_add(1, std::memory_order_relaxed);
  return (rc & 0xff) == SQLITE_BUSY ? outcome::busy : outcome::failed;
}

int wal_keeper::on_busy(void* self, int) {
  auto& k = *static_cast<wal_keeper*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (now >= k.deadline_) return 0;
  // Some read holds the WAL: no new one may start until the reads in progress are over (and
  // a snapshot given back since the last call may be idle in the pool now).
  k.holding_ = true;
  k.readers_.hold(true);
  std::this_thread::sleep_for(std::chrono::microseconds(200));
  return 1;
}

wal_stats wal_keeper::stats() const {
  return {frames_.load(std::memory_order_relaxed), checkpoints_.load(std::memory_order_relaxed),
          busy_.load(std::memory_order_relaxed)};
}

}  // namespace coldtrace::storage::sql
