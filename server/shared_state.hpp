// What the listener, the sessions and the server share. Internal to server/: it includes
// Asio, so only the three Asio translation units (server, listener, session) include it.
#pragma once

#include "server/admission.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/serve.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

namespace coldtrace::server {

// The open connections, so that a stop can close the idle ones at once and learn when the
// busy ones are done.
class connection_set {
 public:
  // One per connection. Its fields belong to the connection's strand: stop() posts there.
  struct control {
    boost::asio::any_io_executor executor;
    bool idle = false;                // waiting for the first byte of a request: safe to close now
    bool stopping = false;            // finish the current request, then close
    std::function<void()> close_now;  // shuts the socket down; set while the stream lives
  };

  // Registers a connection; null once stopping, and the caller closes it.
  std::shared_ptr<control> enter(boost::asio::any_io_executor executor);
  void leave(const std::shared_ptr<control>& c);

  // Marks every connection stopping and calls on_drained (from whichever thread the last
  // connection leaves on, or at once when none is open).
  void stop(std::function<void()> on_drained);
  // After the grace period: shuts every connection down, busy or not.
  void close_all();
  void forget_drain_callback();
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::list<std::shared_ptr<control>> open_;
  bool stopping_ = false;
  std::function<void()> on_drained_;
};

// Asynchronous handlers whose answer has not been handed back yet. Their completions post to
// the connections' io_contexts, so the server waits for them before it destroys those.
class pending_answers {
 public:
  void enter() {
    std::lock_guard lock(mutex_);
    ++count_;
  }
  void leave() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) none_.notify_all();
  }
  void wait_none() {
    std::unique_lock lock(mutex_);
    none_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable none_;
  std::size_t count_ = 0;
};

struct shared_state {
  explicit shared_state(serve_options o)
      : options(with_limits(std::move(o))),
        log(options.log_sink, options.log_buffer),
        admitted(options.max_connections, options.max_connections_per_client),
        blocking(options.blocking_threads) {}

  // The options with the connection caps' defaults filled in.
  static serve_options with_limits(serve_options o) {
    if (o.max_connections == 0) o.max_connections = default_max_connections(open_file_limit());
    if (o.max_connections_per_client == 0)
      o.max_connections_per_client = default_max_per_client(o.max_connections);
    return o;
  }

  // Counts a connection closed unread over a cap; logs the first and every thousandth.
  void refused(const char* cap) {
    auto& c = metrics.counter("coldtrace_http_connections_refused_total",
                              "Connections closed at once, unread: over the cap in all or per "
                              "client address.",
                              {{"cap", cap}});
    c.inc();
    const auto n = c.value();
    if (n == 1 || n % 1000 == 0) log.error("connections_refused", {{"cap", cap}, {"count", n}});
  }

  serve_options options;
  logger log;
  metrics_registry metrics;
  admission admitted;
  std::atomic<bool> draining{false};  // a stop has begun: /healthz answers 503
  router routes;
  router metrics_routes;  // on serve_options::metrics_listen: /metrics and /healthz
  std::unique_ptr<boost::asio::ssl::context> tls;  // null: plain TCP
  boost::asio::thread_pool blocking;               // runs handlers of blocking routes
  connection_set connections;
  pending_answers answers;
};

}  // namespace coldtrace::server
