// coldtrace serve --push-to: the pusher (server/push/pusher.hpp) on a thread of the server,
// woken by the ledger's commits, its status on /metrics, its lines in the server's JSON log.
#pragma once

#include "server/metrics.hpp"
#include "server/push/pusher.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace coldtrace::cli {

struct serve_push_cli {
  server::push_options o;
  double timeout_s = 10, interval_s = 1, max_backoff_s = 60;
};

// --push-to, --push-credentials, --push-cursor, --push-batch, --push-timeout, --push-interval,
// --push-max-backoff on `serve`.
void add_serve_push_options(CLI::App& cmd, serve_push_cli& p);

class serve_pusher {
 public:
  // Nothing to do without --push-to. A usage error (exit 2) when the options are wrong.
  serve_pusher(const serve_push_cli& p, const std::string& db, storage::ledger& ledger);
  ~serve_pusher() { stop(); }

  void install_metrics(server::metrics_registry& m) const;
  void start();
  void stop();  // between requests; waits for the thread (a request in flight: its timeout)

 private:
  std::optional<server::pusher> pusher_;
  std::jthread thread_;
};

}  // namespace coldtrace::cli
