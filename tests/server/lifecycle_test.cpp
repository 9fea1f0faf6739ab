// Stopping: SIGTERM drains in-flight requests; the grace period bounds the drain.
#include "tests/server/client.hpp"
#include "tests/server/fixture.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

using namespace coldtrace::server;
using namespace coldtrace::server::test;
using namespace std::chrono_literals;

namespace {

// A handler that tells the test it started, then holds until the test releases it.
struct gate {
  std::atomic<bool> entered{false};
  std::atomic<bool> released{false};

  response handle() {
    entered = true;
    for (int i = 0; i < 1000 && !released; ++i) std::this_thread::sleep_for(10ms);
    return text_response(200, "done");
  }
  bool wait_entered() {
    for (int i = 0; i < 500 && !entered; ++i) std::this_thread::sleep_for(10ms);
    return entered;
  }
};

}  // namespace

TEST_CASE("SIGTERM stops accepting, finishes the request in flight and returns", "[server]") {
  gate g;
  auto o = test_options();
  o.handle_signals = true;
  running_server s(o, [&g](router& r) {
    r.add(verb::get, "/slow", [&g](const request&, context&) { return g.handle(); },
          {.blocking = true});
  });
  client idle(s.port());
  REQUIRE(idle.request("GET", "/healthz").status == 200);  // now idle on keep-alive
  client busy(s.port());
  busy.write_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(g.wait_entered());

  ::kill(::getpid(), SIGTERM);
  CHECK(idle.closed_within(2s));  // idle connections close at once
  std::this_thread::sleep_for(100ms);
  CHECK_FALSE(s.wait_for_exit(0ms));  // the slow request holds the drain open
  g.released = true;

  auto r = busy.read_reply();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "done");
  CHECK_FALSE(r->keep_alive);  // the last response says the connection ends
  CHECK(s.wait_for_exit(3s));
  CHECK(connection_refused(s.port()));
  auto lines = s.log_lines();
  REQUIRE_FALSE(lines.empty());
  CHECK_THAT(lines.back(), Catch::Contains(R"("event":"stopped")"));
}

TEST_CASE("the grace period bounds the drain", "[server]") {
  gate g;
  auto o = test_options();
  o.grace = 300ms;
  running_server s(o, [&g](router& r) {
    r.add(verb::get, "/slow", [&g](const request&, context&) { return g.handle(); },
          {.blocking = true});
  });
  client busy(s.port());
  busy.write_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(g.wait_entered());

  auto took = s.stop_and_wait();
  g.released = true;  // lets the blocking pool finish so the server can be destroyed
  CHECK(took >= 300ms);
  CHECK(took < 3s);
  CHECK_FALSE(busy.read_reply());  // closed without an answer
  bool expired = false;
  for (const auto& line : s.log_lines()) {
    expired = expired || line.find(R"("event":"grace_expired")") != std::string::npos;
  }
  CHECK(expired);
}

TEST_CASE("a stop before run() makes run() return at once", "[server]") {
  auto o = test_options();
  o.log_sink = [](std::string_view) {};
  http_server server(o);
  server.stop();
  auto start = std::chrono::steady_clock::now();
  server.run();
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("a stop waits for an asynchronous answer in flight", "[server]") {
  std::mutex mutex;
  respond pending;
  std::atomic<bool> entered{false};
  running_server s(test_options(), [&](router& r) {
    r.add_async(verb::post, "/later", [&](const request&, context&, respond done) {
      std::lock_guard lock(mutex);
      pending = std::move(done);
      entered = true;
    });
  });
  client busy(s.port());
  busy.write_raw("POST /later HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  for (int i = 0; i < 500 && !entered; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(entered);

  std::thread stopper([&s] { s.stop_and_wait(); });
  std::this_thread::sleep_for(200ms);  // the drain has begun; the answer is still due
  {
    std::lock_guard lock(mutex);
    pending([] { return coldtrace::result<response>(text_response(200, "committed")); });
  }
  auto r = busy.read_reply();
  stopper.join();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "committed");
  CHECK_FALSE(r->keep_alive);
}

TEST_CASE("/healthz answers 503 while the server drains", "[server]") {
  gate g;
  running_server s(test_options(), [&g](router& r) {
    r.add(verb::get, "/slow", [&g](const request&, context&) { return g.handle(); },
          {.blocking = true});
  });
  client busy(s.port());
  busy.write_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(g.wait_entered());
  client probe(s.port());
  CHECK(probe.request("GET", "/healthz").status == 200);
  probe.write_raw("GET /healthz HTTP/1.1\r\nHo");  // mid-request: the stop does not close it
  std::this_thread::sleep_for(100ms);
  s.server().stop();
  std::this_thread::sleep_for(100ms);
  probe.write_raw("st: x\r\n\r\n");
  auto r = probe.read_reply();
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(r->body == R"({"status":"draining"})");
  CHECK_FALSE(r->keep_alive);
  g.released = true;
  CHECK(busy.read_reply());
}
