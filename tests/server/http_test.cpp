// The server over real HTTP on 127.0.0.1: keep-alive, routing, limits, deadlines, JSON
// errors, metrics and the access log.
#include "server/json.hpp"
#include "tests/server/client.hpp"
#include "tests/server/fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <thread>

using namespace coldtrace;
using namespace coldtrace::server;
using namespace coldtrace::server::test;
using namespace std::chrono_literals;

namespace {

std::string error_code_of(const reply& r) {
  return std::string(boost::json::parse(r.body).at("error").at("code").as_string());
}

bool logged(running_server& s, std::string_view needle) {
  for (const auto& line : s.log_lines()) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

// Writes one byte at a time, 50 ms apart, until the server closes the connection; answers
// how long it took, or 5 s when it never did.
std::chrono::milliseconds trickle_until_closed(client& c) {
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  };
  while (elapsed() < 5s) {
    if (!c.try_write_raw("x")) return elapsed();
    std::this_thread::sleep_for(50ms);
  }
  return elapsed();
}

}  // namespace

TEST_CASE("keep-alive serves several requests on one connection", "[server]") {
  running_server s;
  client c(s.port());
  for (int i = 0; i < 3; ++i) {
    auto r = c.request("GET", "/healthz");
    CHECK(r.status == 200);
    CHECK(r.body == R"({"status":"ok"})");
    CHECK(r.header("Content-Type") == "application/json");
    CHECK(r.keep_alive);
  }
  SECTION("pipelined requests are answered in order") {
    c.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
    auto first = c.read_reply();
    auto second = c.read_reply();
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->status == 200);
    CHECK(second->status == 404);
  }
  SECTION("the server counts one open connection") {
    CHECK_THAT(s.server().metrics().render(),
               Catch::Contains("coldtrace_http_open_connections 1\n"));
  }
  SECTION("Connection: close ends it after the response") {
    auto r = c.request("GET", "/healthz", {}, {{"Connection", "close"}});
    CHECK(r.status == 200);
    CHECK_FALSE(r.keep_alive);
    CHECK(c.closed_within(2s));
  }
}

TEST_CASE("routing over HTTP: 404, 405 with Allow, HEAD", "[server]") {
  running_server s;
  client c(s.port());
  auto missing = c.request("GET", "/api/v1/nothing");
  CHECK(missing.status == 404);
  CHECK(error_code_of(missing) == "not_found");
  CHECK(missing.keep_alive);  // an error answer keeps the connection

  auto wrong = c.request("POST", "/healthz", "{}");
  CHECK(wrong.status == 405);
  CHECK(wrong.header("Allow") == "GET, HEAD");
  CHECK(error_code_of(wrong) == "method_not_allowed");

  auto head = c.request("HEAD", "/healthz");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("Content-Length") == "15");
}

TEST_CASE("a body over the limit answers 413", "[server]") {
  running_server s(test_options(), [](router& r) {
    r.add(verb::post, "/size", [](const request& req, context&) {
      return text_response(200, std::to_string(req.body.size()));
    });
  });
  client c(s.port());
  SECTION("1 MiB is accepted") {
    auto r = c.request("POST", "/size", std::string(1 << 20, 'a'));
    CHECK(r.status == 200);
    CHECK(r.body == "1048576");
  }
  SECTION("a declared length over 1 MiB is refused before the body is read") {
    auto r = c.request("POST", "/size", std::string((1 << 20) + 1, 'a'));
    CHECK(r.status == 413);
    CHECK(error_code_of(r) == "body_too_large");
    CHECK_FALSE(r.keep_alive);
  }
  SECTION("a chunked body that grows over the limit") {
    std::string chunk(64 * 1024, 'b');
    c.write_raw("POST /size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 17 && c.try_write_raw("10000\r\n" + chunk + "\r\n"); ++i) {
    }
    c.try_write_raw("0\r\n\r\n");
    auto r = c.read_reply();
    REQUIRE(r);
    CHECK(r->status == 413);
  }
}

TEST_CASE("a header over 16 KiB answers 431", "[server]") {
  running_server s;
  client c(s.port());
  SECTION("15 KiB is accepted") {
    CHECK(c.request("GET", "/healthz", {}, {{"X-Pad", std::string(15 * 1024, 'a')}}).status == 200);
  }
  SECTION("17 KiB is refused") {
    auto r = c.request("GET", "/healthz", {}, {{"X-Pad", std::string(17 * 1024, 'a')}});
    CHECK(r.status == 431);
    CHECK(error_code_of(r) == "header_too_large");
  }
}

TEST_CASE("a malformed request line answers 400", "[server]") {
  running_server s;
  client c(s.port());
  c.write_raw("GET /healthz HTTP/1.1\r\nNo colon here\r\n\r\n");
  auto r = c.read_reply();
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(error_code_of(*r) == "bad_request");
}

TEST_CASE("a client trickling bytes is cut off at the deadline", "[server]") {
  auto o = test_options();
  o.header_timeout = 300ms;
  o.body_timeout = 300ms;
  running_server s(o, [](router& r) {
    r.add(verb::post, "/size", [](const request& req, context&) {
      return text_response(200, std::to_string(req.body.size()));
    });
  });
  client c(s.port());
  SECTION("while sending the header") {
    c.write_raw("GET /healthz HTTP/1.1\r\nX-Slow: ");
    auto took = trickle_until_closed(c);
    CHECK(took >= 250ms);
    CHECK(took < 2s);  // a per-read deadline would never fire at one byte per 50 ms
    s.stop_and_wait();
    CHECK(logged(s, R"("event":"timeout","phase":"header")"));
  }
  SECTION("while sending the body") {
    c.write_raw("POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
    auto took = trickle_until_closed(c);
    CHECK(took >= 250ms);
    CHECK(took < 2s);
    s.stop_and_wait();
    CHECK(logged(s, R"("event":"timeout","phase":"body")"));
  }
}

TEST_CASE("Expect: 100-continue gets the interim answer first", "[server]") {
  running_server s(test_options(), [](router& r) {
    r.add(verb::post, "/size", [](const request& req, context&) {
      return text_response(200, std::to_string(req.body.size()));
    });
  });
  client c(s.port());
  c.write_raw(
      "POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  auto go_on = c.read_reply();
  REQUIRE(go_on);
  CHECK(go_on->status == 100);
  c.write_raw("hello");
  auto r = c.read_reply();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "5");
}

TEST_CASE("a bad JSON body answers 400 with the error body", "[server]") {
  running_server s(test_options(), [](router& r) {
    r.add(verb::post, "/items", [](const request& req, context&) -> result<response> {
      constexpr json_field fields[] = {{"name", json_type::string},
                                       {"quantity_g", json_type::integer}};
      auto body = parse_object(req.body, fields);
      if (!body) return body.error();
      return json_response(201, {{"name", get_string(*body, "name")}});
    });
  });
  client c(s.port());
  auto [body, status, code] = GENERATE(table<std::string, unsigned, std::string>({
      {R"({"name": "pork", )", 400, "malformed_json"},
      {R"({"name":"pork","quantity_g":5,"owner":"me"})", 400, "unknown_field"},
      {R"({"name":"pork","quantity_g":"5"})", 400, "wrong_type"},
      {R"([1,2])", 400, "not_an_object"},
  }));
  auto r = c.request("POST", "/items", body, {{"Content-Type", "application/json"}});
  CHECK(r.status == status);
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(error_code_of(r) == code);
  auto message = boost::json::parse(r.body).at("error").at("message").as_string();
  CHECK_FALSE(message.empty());
  // and a good body still goes through on the same connection
  CHECK(c.request("POST", "/items", R"({"name":"pork","quantity_g":5})").status == 201);
}

TEST_CASE("/metrics counts requests by route and status", "[server]") {
  running_server s;
  client c(s.port());
  c.request("GET", "/healthz");
  c.request("GET", "/healthz");
  c.request("GET", "/c/123");
  // Same connection: each request is counted before the next one is read.
  auto r = c.request("GET", "/metrics");
  CHECK(r.status == 200);
  CHECK_THAT(r.header("Content-Type").value_or(""), Catch::StartsWith("text/plain; version=0.0.4"));
  CHECK_THAT(r.body,
             Catch::Contains(
                 R"(coldtrace_http_requests_total{method="GET",route="/healthz",status="200"} 2)"));
  CHECK_THAT(
      r.body,
      Catch::Contains(
          R"(coldtrace_http_requests_total{method="GET",route="unmatched",status="404"} 1)"));
  CHECK_THAT(r.body, Catch::Contains(
                         R"(coldtrace_http_request_duration_seconds_count{route="/healthz"} 2)"));
  CHECK_THAT(r.body, Catch::Contains("# TYPE coldtrace_http_request_duration_seconds histogram"));
}

TEST_CASE("the access log has one JSON line per request, without codes or tokens", "[server]") {
  running_server s(test_options(), [](router& r) {
    r.add(verb::get, "/c/{digits}", [](const request&, context& ctx) {
      ctx.unit = "91350100M000100Y43";
      return text_response(200, "ok");
    });
  });
  {
    client c(s.port());
    c.request("GET", "/c/8675309123", {}, {{"Authorization", "Bearer s3cr3t-t0ken"}});
  }
  s.stop_and_wait();
  std::vector<boost::json::object> requests;
  for (const auto& line : s.log_lines()) {
    CHECK(line.find("8675309123") == std::string::npos);
    CHECK(line.find("s3cr3t") == std::string::npos);
    auto entry = boost::json::parse(line).as_object();  // every line is JSON
    if (entry.at("event") == "request") requests.push_back(entry);
  }
  REQUIRE(requests.size() == 1);
  auto& e = requests.front();
  CHECK(e.at("method") == "GET");
  CHECK(e.at("route") == "/c/{digits}");
  CHECK(e.at("status") == 200);
  CHECK(e.at("unit") == "91350100M000100Y43");
  CHECK(e.at("duration_ms").is_number());
  CHECK(e.contains("ts"));
}

TEST_CASE("serve() reports a start-up failure and answers 1", "[server]") {
  std::vector<std::string> lines;
  serve_options o = test_options();
  o.log_sink = [&lines](std::string_view line) { lines.emplace_back(line); };
  SECTION("an address that is not host:port") {
    o.listen = "no-port-here";
  }
  SECTION("TLS without its key") {
    o.tls_cert = "/nonexistent/cert.pem";
  }
  CHECK(serve(o) == 1);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines.front(), Catch::Contains(R"("event":"startup")"));
}
