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
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds header_timeout{10'000};  // from its first byte; TLS handshake too
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds grace{10'000};  // in-flight requests may finish this long on stop
  bool handle_signals = true;               // SIGTERM and SIGINT stop the server
  logger::sink log_sink;                    // JSON lines; empty = stderr
  // Access-log lines wait in memory up to this many bytes and at most a quarter of a second;
  // error lines go out at once. 0: every line at once.
  std::size_t log_buffer = 64 << 10;
  // Adds the API's routes; handlers capture what they need (the ledger, the keys).
  std::function<void(router&, metrics_registry&)> install;
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
