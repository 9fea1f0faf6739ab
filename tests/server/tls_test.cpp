#include "tests/server/client.hpp"
#include "tests/server/fixture.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

using namespace coldtrace::server;
using namespace coldtrace::server::test;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/coldtrace-server-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("TLS serves requests over one kept-alive connection", "[server]") {
  temp_dir dir;
  auto files = make_self_signed(dir.path);
  auto o = test_options();
  o.tls_cert = files.cert;
  o.tls_key = files.key;
  running_server s(o);
  client c(s.port(), files.cert);
  for (int i = 0; i < 2; ++i) {
    auto r = c.request("GET", "/healthz");
    CHECK(r.status == 200);
    CHECK(r.body == R"({"status":"ok"})");
  }
  CHECK(c.request("GET", "/nope").status == 404);
}

TEST_CASE("a plain HTTP client on the TLS port gets no answer", "[server]") {
  temp_dir dir;
  auto files = make_self_signed(dir.path);
  auto o = test_options();
  o.tls_cert = files.cert;
  o.tls_key = files.key;
  running_server s(o);
  client c(s.port());
  c.write_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK_FALSE(c.read_reply());
}

TEST_CASE("an unusable key file stops start-up with its path", "[server]") {
  temp_dir dir;
  auto files = make_self_signed(dir.path);
  auto o = test_options();
  o.tls_cert = files.cert;
  o.tls_key = dir.path + "/missing.pem";
  CHECK_THROWS_WITH(http_server(o), Catch::Contains("missing.pem"));
}
