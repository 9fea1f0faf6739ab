// An in-process server on 127.0.0.1 and an ephemeral port, run on its own thread, with its
// log lines captured for the tests to read.
#pragma once

#include "server/serve.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace coldtrace::server::test {

// Short deadlines keep the tests quick; a test that needs others sets its own.
inline serve_options test_options() {
  serve_options o;
  o.listen = "127.0.0.1:0";
  o.threads = 2;
  o.blocking_threads = 2;
  o.handle_signals = false;
  o.idle_timeout = std::chrono::seconds(5);
  o.header_timeout = std::chrono::seconds(5);
  o.body_timeout = std::chrono::seconds(5);
  o.write_timeout = std::chrono::seconds(5);
  o.grace = std::chrono::seconds(5);
  return o;
}

class running_server {
 public:
  // `setup` adds the test's routes before the server starts serving.
  explicit running_server(serve_options o = test_options(),
                          const std::function<void(router&)>& setup = {})
      : server_(with_capture(std::move(o))) {
    if (setup) setup(server_.routes());
    thread_ = std::thread([this] {
      server_.run();
      std::lock_guard lock(mutex_);
      exited_ = true;
      exit_.notify_all();
    });
  }
  ~running_server() { stop_and_wait(); }
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  std::uint16_t port() const { return server_.port(); }
  http_server& server() { return server_; }

  // Stops and waits until run() has returned; answers how long the drain took.
  std::chrono::milliseconds stop_and_wait() {
    auto start = std::chrono::steady_clock::now();
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }
  // Waits for run() to return on its own (after a signal); false if it did not in time.
  bool wait_for_exit(std::chrono::milliseconds within) {
    std::unique_lock lock(mutex_);
    return exit_.wait_for(lock, within, [this] { return exited_; });
  }

  std::vector<std::string> log_lines() {
    server_.log().flush();
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  serve_options with_capture(serve_options o) {
    o.log_sink = [this](std::string_view lines) {
      std::lock_guard lock(mutex_);
      while (!lines.empty()) {
        auto end = lines.find('\n');
        lines_.emplace_back(lines.substr(0, end == lines.npos ? lines.npos : end + 1));
        lines.remove_prefix(end == lines.npos ? lines.size() : end + 1);
      }
    };
    return o;
  }

  mutable std::mutex mutex_;
  std::condition_variable exit_;
  bool exited_ = false;
  std::vector<std::string> lines_;
  http_server server_;
  std::thread thread_;
};

}  // namespace coldtrace::server::test
