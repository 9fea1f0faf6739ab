// The entry points the CLI uses: serve() for `coldtrace serve`, and http_server for tests and
// for callers that need the bound port before serving. No Beast or Asio in this header.
#pragma once

#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace coldtrace::server {

struct serve_options {
  std::string listen = "127.0.0.1:8080";  // host:port, [v6]:port; port 0 picks a free port
  unsigned threads = 0;                   // I/O threads; 0 = one per core
  unsigned blocking_threads = 16;         // for routes marked route_options::blocking
  std::string tls_cert;                   // PEM certificate chain; TLS when both are given
  std::string tls_key;                    // PEM private key
  std::size_t body_limit = 1 << 20;       // larger bodies answer 413
  std::size_t header_limit = 16 << 10;    // larger headers answer 431
  // Each deadline covers a whole operation, so a client trickling bytes cannot extend it.
  // A new connection's first request header (and its TLS handshake) must be complete within
  // header_timeout of the accept; a later request's within header_timeout of its first byte,
  // which must come within idle_timeout of the previous response.
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive wait for the next request
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds grace{10'000};  // in-flight requests may finish this long on stop
  // Connections held at once, in all and per client address. One over either cap is closed at
  // once, unread (counted in coldtrace_http_connections_refused_total). 0: derived from the
  // open-file limit, which leaves descriptors for the ledger and the log: the limit less an
  // eighth (at least 64) in all, a quarter of that (at most 512) per address.
  std::size_t max_connections = 0;
  std::size_t max_connections_per_client = 0;
  bool handle_signals = true;  // SIGTERM and SIGINT stop the server; SIGHUP below
  logger::sink log_sink;       // JSON lines; empty = stderr
  // Access-log lines wait in memory up to this many bytes and at most a quarter of a second;
  // error lines go out at once. 0: every line at once.
  std::size_t log_buffer = 64 << 10;
  // Adds the API's routes; handlers capture what they need (the ledger, the keys).
  std::function<void(router&, metrics_registry&)> install;
  // /metrics. With metrics_listen ("host:port"), it is served there only, with /healthz, to
  // whoever can connect, and the main listener answers 404; otherwise the main listener serves
  // it to the requests metrics_access lets through (empty: to every request).
  std::string metrics_listen;
  std::function<result<void>(const request&, context&)> metrics_access;
  // SIGHUP (with handle_signals), e.g. to reload the keys: run on the blocking pool; what it
  // answers (a summary, or the error) is logged as "hangup".
  std::function<result<std::string>()> on_hangup;
};

class http_server {
 public:
  // Binds and listens at once, so port() is known before run(). Throws std::runtime_error
  // saying why when the address, the certificate or the key is unusable.
  explicit http_server(serve_options options);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  std::uint16_t port() const;
  std::uint16_t metrics_port() const;  // 0 without serve_options::metrics_listen
  router& routes();  // add routes before run(); the router is read-only while serving
  metrics_registry& metrics();
  logger& log();

  // Serves on `threads` threads, the caller's among them, until stop() or a signal; then
  // stops accepting, lets in-flight requests finish within the grace period, and returns.
  void run();

  // What SIGTERM does. Thread-safe; before run() it makes run() return at once.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// `coldtrace serve`: logs the bound address, serves until SIGTERM/SIGINT, drains. Answers
// the process exit status: 0 after a drain, 1 when the server could not start.
int serve(const serve_options& options);

}  // namespace coldtrace::server
