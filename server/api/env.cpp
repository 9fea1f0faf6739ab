#include "server/api/env.hpp"

#include "server/api/decode.hpp"

#include <string>

namespace coldtrace::server::api {

env::env(const app& app_ref, metrics_registry& m) : a(app_ref), own_hosts(app_ref.own_hosts()) {
  for (std::size_t i = 0; i < verdict_count; ++i) {
    const std::string name(to_string(static_cast<coldtrace::verdict>(i)));
    verifications_[i] = &m.counter("coldtrace_verifications_total",
                                   "Public code verifications by verdict", {{"verdict", name}});
    sale_checks_[i] = &m.counter("coldtrace_sale_checks_total", "Point-of-sale checks by verdict",
                                 {{"verdict", name}});
  }
  batches_ = &m.gauge("coldtrace_commit_batches", "Group commits since the ledger opened");
  operations_ = &m.gauge("coldtrace_commit_operations", "Operations committed in those batches");
  max_batch_ = &m.gauge("coldtrace_commit_batch_max", "The largest group commit so far");
  for (std::size_t i = 0; i < by_size_.size(); ++i) {
    // Bucket i holds batches of [2^i, 2^(i+1)) operations; the label names its lower bound.
    by_size_[i] = &m.gauge("coldtrace_commit_batches_by_size",
                           "Group commits by their size in operations (from this many)",
                           {{"from", std::to_string(std::size_t{1} << i)}});
  }
  wal_pages_ = &m.gauge("coldtrace_wal_pages",
                        "Pages in the write-ahead log since it last started over (4 KiB each)");
  checkpoints_ = &m.gauge("coldtrace_wal_checkpoints",
                          "WAL checkpoints that completed (the log started over)");
  checkpoints_busy_ = &m.gauge("coldtrace_wal_checkpoints_busy",
                               "WAL checkpoints a long read kept from completing");
  observe_commits();
}

storage::context env::as(const storage::actor& by) const {
  return {by, now()};
}

void env::count_verification(coldtrace::verdict v) const {
  const auto i = static_cast<std::size_t>(v);
  if (i < verdict_count) verifications_[i]->inc();
}

void env::count_sale_check(coldtrace::verdict v) const {
  const auto i = static_cast<std::size_t>(v);
  if (i < verdict_count) sale_checks_[i]->inc();
}

void env::observe_commits() const {
  const auto s = a.ledger.writer_stats();
  batches_->set(static_cast<std::int64_t>(s.batches));
  operations_->set(static_cast<std::int64_t>(s.operations));
  max_batch_->set(static_cast<std::int64_t>(s.max_batch));
  for (std::size_t i = 0; i < by_size_.size(); ++i)
    by_size_[i]->set(static_cast<std::int64_t>(s.batch_sizes[i]));
  wal_pages_->set(static_cast<std::int64_t>(s.wal_pages));
  checkpoints_->set(static_cast<std::int64_t>(s.checkpoints));
  checkpoints_busy_->set(static_cast<std::int64_t>(s.checkpoints_busy));
}

}  // namespace coldtrace::server::api
