// The pusher (docs/exchange.md): delivers the change feed, page after page as GET /api/v1/feed
// answers it, to an upper platform's HTTP endpoint, at least once and in order. A durable
// cursor file (push_cursor.hpp) holds the last event the endpoint acknowledged (2xx) and is
// replaced only after that acknowledgement, so a crash or kill -9 at any moment resends at most
// one batch and never skips one. No answer, a timeout, 408, 429 and 5xx are retried with
// exponential backoff. Used by `coldtrace push` (a process of its own) and by `coldtrace serve
// --push-to` (a thread of the server, its status on /metrics).
#pragma once

#include "server/metrics.hpp"
#include "server/push/push_cursor.hpp"
#include "server/push/push_http.hpp"
#include "storage/ledger.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace coldtrace::server {

struct push_options {
  std::string to;           // the endpoint, http(s)://host[:port]/path
  std::string credentials;  // a file whose first line is the bearer token; empty: none
  std::string cursor;       // the cursor file
  int batch = 500;          // events per request, 1-1000
  std::chrono::milliseconds timeout{10'000};      // one request, connect to answer
  std::chrono::milliseconds interval{2'000};      // between polls once caught up
  std::chrono::milliseconds max_backoff{60'000};  // the longest wait between retries
  bool once = false;                              // return once caught up
  // Any other answer (401, 403, 400...): true, run() returns push_end::refused (sending the same
  // batch again cannot change it); false, it is retried every max_backoff, the token read again
  // from `credentials` each time (a server keeps pushing once the operator fixes it).
  bool stop_on_refusal = true;
  std::string option_prefix = "--";  // how the options are named in messages ("--push-" in serve)
};

// What an operator alerts on; written by the pusher, read by anyone (/metrics).
struct push_status {
  std::atomic<bool> up{false};             // the last delivery succeeded, or nothing is owed
  std::atomic<std::int64_t> acked_seq{0};  // the last event acknowledged
  std::atomic<std::int64_t> head_seq{0};   // the chain's head at the last read
  std::atomic<std::int64_t> last_success_unix{0};  // the last acknowledgement; 0: none yet
  std::atomic<std::uint64_t> events{0};            // events delivered (acknowledged)
  std::atomic<std::uint64_t> batches{0};           // requests acknowledged
  std::atomic<std::uint64_t> failures{0};  // requests not acknowledged, and failed feed reads
};

enum class push_end {
  stopped,    // stop_requested said so
  caught_up,  // push_options::once and nothing more to send
  refused,    // an answer a retry cannot change (stop_on_refusal)
  diverged,   // the database's history does not continue the cursor's
};

enum class push_level { info, retry, error };

class pusher {
 public:
  // A line for the log; never holds the token.
  using log_fn = std::function<void(push_level, const std::string& message)>;

  // Checks the options and reads the token and the cursor: push_setup_error saying which
  // option is wrong and why.
  pusher(storage::ledger& ledger, push_options options, log_fn log);

  // Delivers until `stop_requested` (asked between requests and every few milliseconds of a
  // wait) or one of push_end's other reasons. When caught up it waits for the next commit of
  // this process's ledger (ledger::generation) or `interval`, whichever comes first.
  push_end run(const std::function<bool()>& stop_requested);

  std::shared_ptr<const push_status> status() const { return status_; }
  // The endpoint as logged: without its query.
  const std::string& endpoint() const { return endpoint_; }

 private:
  enum class outcome { delivered, again, refused };
  outcome deliver(const storage::event_feed& page, const std::function<bool()>& stop);
  void wait(std::chrono::milliseconds d, const std::function<bool()>& stop,
            std::optional<std::uint64_t> generation = std::nullopt);

  storage::ledger& ledger_;
  push_options options_;
  log_fn log_;
  push_target target_;
  std::string endpoint_, token_;
  push_cursor at_;
  std::chrono::milliseconds backoff_{0};
  std::shared_ptr<push_status> status_ = std::make_shared<push_status>();
};

// The pusher's status as coldtrace_push_* series (server/README.md), read at each render.
void install_push_metrics(metrics_registry& m, std::shared_ptr<const push_status> s);

}  // namespace coldtrace::server
