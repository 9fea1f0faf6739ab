#include "storage/sqlite/readers.hpp"

namespace coldtrace::storage::sql {

readers::readers(std::filesystem::path file, int busy_timeout_ms, std::chrono::milliseconds reuse)
    : open_([file = std::move(file), busy_timeout_ms] {
        return connection::open(file, connection::access::read_only, busy_timeout_ms);
      }),
      reuse_(reuse) {}

readers::readers(std::function<connection()> open, std::chrono::milliseconds reuse)
    : open_(std::move(open)), reuse_(reuse) {}

readers::lease::~lease() {
  if (s_.c) pool_->give_back(std::move(s_));
}

void readers::end_snapshot(slot& s) noexcept {
  if (!s.in_snapshot) return;
  s.in_snapshot = false;
  try {
    // A read-only transaction: COMMIT only lets go of the snapshot.
    s.c->query("COMMIT").run();
  } catch (const std::exception&) {
    try {
      s.c->query("ROLLBACK").run();
    } catch (const std::exception&) {
    }
  }
}

void readers::give_back(slot s) {
  std::lock_guard lock{mutex_};
  // Stale already: do not let it hold the WAL while it waits for the next read. Checked under
  // the lock, so that a commit counted after the check finds the slot idle and ends it.
  if (s.generation != generation_.load(std::memory_order_acquire) || reuse_.count() == 0) {
    end_snapshot(s);
  }
  idle_.push_back(std::move(s));
}

readers::lease readers::acquire() {
  if (held_.load(std::memory_order_acquire)) {
    std::unique_lock lock{mutex_};
    resumed_.wait_for(lock, std::chrono::milliseconds(200), [&] { return !held_.load(); });
  }
  // Read before the snapshot begins, so the snapshot holds at least the commits counted.
  const auto generation = generation_.load(std::memory_order_acquire);
  const auto now = clock::now();
  slot s;
  {
    std::lock_guard lock{mutex_};
    if (!idle_.empty()) {
      s = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!s.c) {
    s.c = std::make_unique<connection>(open_());
  }
  if (s.in_snapshot && (s.generation != generation || now - s.since >= reuse_)) end_snapshot(s);
  lease l{*this, std::move(s)};
  if (!l.s_.in_snapshot) {
    // Deferred: the snapshot itself begins with the read's first statement.
    // On PostgreSQL one snapshot for the whole read, as SQLite's deferred transaction gives.
    l->query(l->is_postgres() ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN").run();
    l.s_.in_snapshot = true;
    l.s_.generation = generation;
    l.s_.since = now;
  }
  return l;
}

void readers::hold(bool on) {
  if (on) {
    held_.store(true, std::memory_order_release);
    committed();
    return;
  }
  {
    std::lock_guard lock{mutex_};
    held_.store(false, std::memory_order_release);
  }
  resumed_.notify_all();
}

void readers::committed() {
  const auto generation = generation_.fetch_add(1, std::memory_order_acq_rel) + 1;
  std::lock_guard lock{mutex_};
  for (auto& s : idle_) {
    if (s.generation != generation) end_snapshot(s);
  }
}

}  // namespace coldtrace::storage::sql
