// Group commit: one thread owns the write connection, takes the queued operations, runs each
// in its own savepoint inside one batch transaction, commits the batch once (one fsync for
// all), and only then completes the operations. One failing operation rolls back to its
// savepoint and leaves its neighbours alone.
#pragma once

#include "storage/ledger.hpp"
#include "storage/reports.hpp"
#include "storage/sqlite/db.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace coldtrace::storage::sql {

class writer {
 public:
  // One queued operation. execute() runs on the writer thread inside a savepoint and returns
  // false when the operation failed (its savepoint is then rolled back). complete() runs after
  // the batch is durable; abandon() when it could not be (or the writer is closed).
  class job {
   public:
    virtual ~job() = default;
    virtual bool execute(connection& c) = 0;
    virtual void complete() = 0;
    virtual void abandon(const error& e) = 0;
  };

  // Work done in every batch (and at least once a second when idle) while `pending` is true:
  // used to fold the in-memory verification counters into the database.
  // `committed` runs after each commit and before its operations complete. `maintain` runs
  // with no transaction open, after each batch's operations complete (idle = false) and when
  // a second passed with nothing to do (idle = true): the WAL's checkpoints.
  struct background {
    std::function<bool()> pending;
    std::function<void(connection&)> run;
    std::function<void()> committed;
    std::function<void(bool idle)> maintain;
  };

  writer(connection c, std::size_t max_batch, background bg);
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  ~writer();

  void submit(std::unique_ptr<job> j);
  // Commits what is queued, then stops the thread. Later submissions are abandoned.
  void close();
  commit_stats stats() const;
  // Counts the commits that held at least one operation (the background work alone does not
  // count); bumped after the commit and before its operations complete.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  void run();
  void run_batch(std::vector<std::unique_ptr<job>>& batch);
  void record(std::size_t batch_size);

  connection conn_;
  const std::size_t max_batch_;
  background background_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<job>> queue_;
  bool closing_ = false;
  commit_stats stats_;
  std::atomic<std::uint64_t> generation_{0};
  std::thread thread_;  // last: starts after everything it uses exists
};

// A job that runs `fn` and hands its result to `done`.
template <class T>
class op_job final : public writer::job {
 public:
  using body = std::function<result<T>(connection&)>;
  op_job(body fn, completion<T> done) : fn_(std::move(fn)), done_(std::move(done)) {}

  bool execute(connection& c) override {
    outcome_.emplace(fn_(c));
    return outcome_->has_value();
  }
  void complete() override { done_(std::move(*outcome_)); }
  void abandon(const error& e) override { done_(e); }

 private:
  body fn_;
  completion<T> done_;
  std::optional<result<T>> outcome_;
};

}  // namespace coldtrace::storage::sql
