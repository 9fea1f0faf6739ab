// The server's edge against clients that hold connections open: caps on connections in all and
// per client address, and the first request's deadline running from the accept.
#include "server/admission.hpp"
#include "server/error.hpp"
#include "tests/server/client.hpp"
#include "tests/server/fixture.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <thread>

using namespace coldtrace::server;
using namespace coldtrace::server::test;
using namespace std::chrono_literals;

namespace {

// A raw TCP connection to 127.0.0.1:port from `source` (any 127.x.y.z is this host, so each
// stands for a different client address). It sends nothing unless told.
class raw_connection {
 public:
  raw_connection(const char* source, std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~raw_connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  bool connected() const { return fd_ >= 0; }
  void send(std::string_view bytes) { REQUIRE(::send(fd_, bytes.data(), bytes.size(), 0) > 0); }

  // True when the server closes (EOF or reset) within `within`; what it sends is skipped.
  bool closed_within(std::chrono::milliseconds within) {
    const auto until = std::chrono::steady_clock::now() + within;
    char scratch[4096];
    for (;;) {
      const auto left = until - std::chrono::steady_clock::now();
      if (left <= 0ms) return false;
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(left).count();
      timeval tv{static_cast<time_t>(us / 1'000'000), static_cast<suseconds_t>(us % 1'000'000)};
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      const auto n = ::recv(fd_, scratch, sizeof scratch, 0);
      if (n == 0) return true;
      if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
    }
  }

 private:
  int fd_;
};

std::string refused_metric(running_server& s, const char* cap) {
  const auto text = s.server().metrics().render();
  const std::string key =
      std::string("coldtrace_http_connections_refused_total{cap=\"") + cap + "\"} ";
  const auto at = text.find(key);
  if (at == std::string::npos) return "0";
  return text.substr(at + key.size(), text.find('\n', at) - at - key.size());
}

// Connections the server has taken in (the accept loop is one coroutine: they are admitted in
// order, but the test thread must not outrun it).
void settle() {
  std::this_thread::sleep_for(100ms);
}

}  // namespace

TEST_CASE("a client address over its connection cap is closed at once; others are served",
          "[server]") {
  auto o = test_options();
  o.max_connections = 100;
  o.max_connections_per_client = 3;
  running_server s(o);
  std::vector<std::unique_ptr<raw_connection>> held;
  for (int i = 0; i < 3; ++i)
    held.push_back(std::make_unique<raw_connection>("127.0.0.2", s.port()));
  settle();
  raw_connection extra("127.0.0.2", s.port());
  REQUIRE(extra.connected());  // the kernel completes the handshake; the server then closes
  CHECK(extra.closed_within(1s));
  CHECK_FALSE(held.front()->closed_within(200ms));
  CHECK(refused_metric(s, "per_client") == "1");

  client other(s.port());  // from 127.0.0.1
  CHECK(other.request("GET", "/healthz").status == 200);

  SECTION("a closed connection gives its place back") {
    held.pop_back();
    settle();
    raw_connection again("127.0.0.2", s.port());
    CHECK_FALSE(again.closed_within(300ms));
  }
}

TEST_CASE("connections over the total cap are closed at once", "[server]") {
  auto o = test_options();
  o.max_connections = 4;
  o.max_connections_per_client = 100;
  running_server s(o);
  std::vector<std::unique_ptr<raw_connection>> held;
  for (const char* from : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"})
    held.push_back(std::make_unique<raw_connection>(from, s.port()));
  settle();
  raw_connection extra("127.0.0.6", s.port());
  CHECK(extra.closed_within(1s));
  CHECK(refused_metric(s, "total") == "1");
  held.clear();
  settle();
  client c(s.port());
  CHECK(c.request("GET", "/healthz").status == 200);
}

TEST_CASE("a silent new connection is closed at the header deadline, not the keep-alive one",
          "[server]") {
  auto o = test_options();
  o.header_timeout = 300ms;
  o.idle_timeout = 3s;
  running_server s(o);
  SECTION("nothing sent after the accept") {
    raw_connection silent("127.0.0.1", s.port());
    const auto start = std::chrono::steady_clock::now();
    CHECK(silent.closed_within(2s));
    CHECK(std::chrono::steady_clock::now() - start >= 250ms);
  }
  SECTION("after a response, keep-alive waits for idle_timeout") {
    raw_connection kept("127.0.0.1", s.port());
    kept.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK_FALSE(kept.closed_within(1s));  // the response comes, the connection stays
    CHECK(kept.closed_within(4s));
  }
}

TEST_CASE("the caps' defaults come from the open-file limit", "[server]") {
  CHECK(default_max_connections(1024) == 896);
  CHECK(default_max_connections(100) == 36);
  CHECK(default_max_connections(20) == 1);
  CHECK(default_max_per_client(896) == 224);
  CHECK(default_max_per_client(100000) == 512);
  CHECK(default_max_per_client(2) == 1);
}

TEST_CASE("a Transfer-Encoding other than chunked answers 400 and closes", "[server]") {
  std::atomic<int> smuggled{0};
  running_server s(test_options(), [&smuggled](router& r) {
    r.add(verb::post, "/size", [](const request& req, context&) {
      return text_response(200, std::to_string(req.body.size()));
    });
    r.add(verb::get, "/smuggled", [&smuggled](const request&, context&) {
      ++smuggled;
      return text_response(200, "ran");
    });
  });
  const std::string coding =
      GENERATE(as<std::string>{}, "gzip", "chunked, gzip", "gzip, chunked", "identity");
  {
    client c(s.port());
    // Were the body taken as empty, the bytes after the header would run as a second request.
    c.write_raw("POST /size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                "\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = c.read_reply();
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK_FALSE(r->keep_alive);
    CHECK(c.closed_within(2s));
  }
  s.stop_and_wait();
  CHECK(smuggled == 0);
}

TEST_CASE("chunked alone is still taken", "[server]") {
  running_server s(test_options(), [](router& r) {
    r.add(verb::post, "/size", [](const request& req, context&) {
      return text_response(200, std::to_string(req.body.size()));
    });
  });
  client c(s.port());
  c.write_raw(
      "POST /size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  auto r = c.read_reply();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "5");
}

TEST_CASE("an HTTP/1.1 request without Host, or with two, answers 400", "[server]") {
  running_server s;
  client c(s.port());
  SECTION("none") {
    c.write_raw("GET /healthz HTTP/1.1\r\n\r\n");
  }
  SECTION("two") {
    c.write_raw("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  }
  auto r = c.read_reply();
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(c.closed_within(2s));
}

TEST_CASE("an HTTP/1.0 request may leave Host out", "[server]") {
  running_server s;
  client c(s.port());
  c.write_raw("GET /healthz HTTP/1.0\r\n\r\n");
  auto r = c.read_reply();
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("with metrics_listen, /metrics is served there only", "[server]") {
  auto o = test_options();
  o.metrics_listen = "127.0.0.1:0";
  running_server s(o);
  REQUIRE(s.server().metrics_port() != 0);
  REQUIRE(s.server().metrics_port() != s.port());
  client main(s.port());
  CHECK(main.request("GET", "/metrics").status == 404);
  CHECK(main.request("GET", "/healthz").status == 200);
  client metrics(s.server().metrics_port());
  auto r = metrics.request("GET", "/metrics");
  CHECK(r.status == 200);
  CHECK_THAT(r.body, Catch::Contains("coldtrace_http_requests_total"));
  CHECK(metrics.request("GET", "/healthz").status == 200);
  CHECK(metrics.request("GET", "/api/v1/me").status == 404);  // nothing else
}

TEST_CASE("metrics_access guards /metrics on the main listener", "[server]") {
  auto o = test_options();
  o.metrics_access = [](const request& req, context&) -> coldtrace::result<void> {
    if (req.fields.find("Authorization") == "Bearer letmein") return {};
    return fail(errc::unauthorized, "no");
  };
  running_server s(o);
  client c(s.port());
  CHECK(c.request("GET", "/metrics").status == 401);
  CHECK(c.request("GET", "/metrics", {}, {{"Authorization", "Bearer letmein"}}).status == 200);
}
