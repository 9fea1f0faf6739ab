#include "storage/sqlite/writer.hpp"

#include <algorithm>
#include <bit>
#include <chrono>

namespace coldtrace::storage::sql {

writer::writer(connection c, std::size_t max_batch, background bg)
    : conn_(std::move(c)),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      background_(std::move(bg)),
      thread_([this] { run(); }) {}

writer::~writer() {
  close();
}

void writer::submit(std::unique_ptr<job> j) {
  {
    std::lock_guard lock{mutex_};
    if (!closing_) {
      queue_.push_back(std::move(j));
      wake_.notify_one();
      return;
    }
  }
  j->abandon(fail(errc::shutting_down, "the ledger is closing and takes no more changes"));
}

void writer::close() {
  {
    std::lock_guard lock{mutex_};
    closing_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

commit_stats writer::stats() const {
  std::lock_guard lock{mutex_};
  return stats_;
}

void writer::run() {
  std::vector<std::unique_ptr<job>> batch;
  for (;;) {
    bool stop = false;
    {
      std::unique_lock lock{mutex_};
      // Idle: wake at least once a second so background work is not held back for long.
      wake_.wait_for(lock, std::chrono::seconds(1), [&] { return closing_ || !queue_.empty(); });
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      stop = closing_ && queue_.empty();
    }
    const bool work = !batch.empty() || (background_.pending && background_.pending());
    if (work) run_batch(batch);
    batch.clear();
    if (background_.maintain) {
      try {
        background_.maintain(!work);
      } catch (const std::exception&) {
      }
    }
    if (stop) return;
  }
}

void writer::run_batch(std::vector<std::unique_ptr<job>>& batch) {
  std::vector<bool> ok(batch.size(), false);
  try {
    transaction t{conn_, transaction::mode::immediate};
    for (std::size_t i = 0; i < batch.size(); ++i) {
      savepoint sp{conn_};
      try {
        ok[i] = batch[i]->execute(conn_);
      } catch (const std::exception& e) {
        // A failing statement inside one operation: that operation alone fails.
        sp.rollback();
        batch[i]->abandon(fail(errc::storage_failure, e.what()));
        batch[i].reset();
        continue;
      }
      if (ok[i])
        sp.release();
      else
        sp.rollback();
    }
    if (background_.pending && background_.pending()) {
      // Best effort: background work must never fail the operations it rides along with.
      savepoint sp{conn_};
      try {
        background_.run(conn_);
        sp.release();
      } catch (const std::exception&) {
      }
    }
    t.commit();
  } catch (const std::exception& e) {
    // BEGIN or COMMIT failed: nothing of the batch is on disk.
    for (auto& j : batch)
      if (j) j->abandon(fail(errc::storage_failure, std::string{"not committed: "} + e.what()));
    return;
  }
  if (background_.committed) background_.committed();
  // After the readers were told (a read that sees the new number reads the new state), before
  // any operation completes (a caller told of its write finds the number moved).
  if (std::any_of(ok.begin(), ok.end(), [](bool b) { return b; }))
    generation_.fetch_add(1, std::memory_order_acq_rel);
  record(batch.size());
  for (auto& j : batch) {
    if (!j) continue;
    // A completion that throws is the caller's bug; it must not take the writer (and every
    // other caller's acknowledgement) down with it.
    try {
      j->complete();
    } catch (...) {
    }
  }
}

void writer::record(std::size_t batch_size) {
  if (batch_size == 0) return;
  std::lock_guard lock{mutex_};
  ++stats_.batches;
  stats_.operations += batch_size;
  stats_.max_batch = std::max<std::uint64_t>(stats_.max_batch, batch_size);
  const auto bucket = static_cast<std::size_t>(std::bit_width(batch_size) - 1);
  ++stats_.batch_sizes[std::min(bucket, stats_.batch_sizes.size() - 1)];
}

}  // namespace coldtrace::storage::sql
