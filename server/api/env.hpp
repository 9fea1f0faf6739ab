// What every API handler captures: the app (ledger, keys, host) and the metric series it
// feeds, looked up once at install time so the hot paths take no registry lock.
#pragma once

#include "codec/verdict.hpp"
#include "server/app.hpp"
#include "server/metrics.hpp"

#include <array>
#include <memory>

namespace coldtrace::server::api {

inline constexpr std::size_t verdict_count = 10;  // the closed set of codec/verdict.hpp

class env {
 public:
  env(const app& a, metrics_registry& m);

  const app& a;
  const codec::own_hosts own_hosts;  // app::own_hosts(), made once
  storage::ledger& ledger() const { return a.ledger; }
  // The signing key and the published set in force now, as one snapshot: take it once per
  // request (`auto k = e.keys(); k->signing->sign(...); k->published.to_jwks()`).
  keys_ptr keys() const { return a.keys.current(); }

  // Who acts, and now: what every write carries into the audit chain.
  storage::context as(const storage::actor& by) const;

  void count_verification(coldtrace::verdict v) const;
  void count_sale_check(coldtrace::verdict v) const;
  // Copies the ledger's group-commit counters into gauges; called before /metrics renders.
  void observe_commits() const;

 private:
  std::array<counter*, verdict_count> verifications_{};
  std::array<counter*, verdict_count> sale_checks_{};
  gauge* batches_ = nullptr;
  gauge* operations_ = nullptr;
  gauge* max_batch_ = nullptr;
  gauge* wal_pages_ = nullptr;
  gauge* checkpoints_ = nullptr;
  gauge* checkpoints_busy_ = nullptr;
  std::array<gauge*, std::tuple_size_v<decltype(storage::commit_stats::batch_sizes)>> by_size_{};
};

using env_ptr = std::shared_ptr<const env>;

}  // namespace coldtrace::server::api
