#include "server/router.hpp"
#include "server/metrics.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <stdexcept>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::server;

namespace {

request make(verb method, std::string target) {
  request r;
  r.method = method;
  r.target = std::move(target);
  return r;
}

// The handler echoes the route and its params so a test sees what matched.
response echo(const request&, context& ctx) {
  std::string out = ctx.route;
  for (auto name : {"id", "digits", "path"}) {
    if (auto v = ctx.params.find(name)) out += std::string(" ") + name + "=" + std::string(*v);
  }
  return text_response(200, out);
}

router sample_router() {
  router r;
  r.add(verb::get, "/api/v1/lots/{id}", echo);
  r.add(verb::delete_, "/api/v1/lots/{id}", echo);
  r.add(verb::get, "/api/v1/lots/search", echo);
  r.add(verb::post, "/api/v1/lots", echo);
  r.add(verb::get, "/c/{digits}", echo);
  r.add(verb::get, "/static/{path*}", echo);
  r.add(verb::get, "/", echo);
  return r;
}

std::string error_code_of(const response& res) {
  return std::string(boost::json::parse(res.body).at("error").at("code").as_string());
}

}  // namespace

TEST_CASE("the router finds the handler and its path parameters", "[server]") {
  auto r = sample_router();
  metrics_registry m;
  context ctx(m);
  auto [method, target, expected] = GENERATE(table<verb, std::string, std::string>({
      {verb::get, "/api/v1/lots/L-42", "/api/v1/lots/{id} id=L-42"},
      {verb::delete_, "/api/v1/lots/L-42", "/api/v1/lots/{id} id=L-42"},
      {verb::get, "/api/v1/lots/search", "/api/v1/lots/search"},  // a literal beats a param
      {verb::post, "/api/v1/lots?x=1", "/api/v1/lots"},
      {verb::get, "/c/0123456789", "/c/{digits} digits=0123456789"},
      {verb::get, "/C/0123456789", "/c/{digits} digits=0123456789"},  // cameras upper-case
      {verb::get, "/api/v1/lots/a%2Fb", "/api/v1/lots/{id} id=a/b"},  // decoded, one segment
      {verb::get, "/static/js/app.js", "/static/{path*} path=js/app.js"},
      {verb::get, "/", "/"},
      {verb::get, "http://example.org/c/42", "/c/{digits} digits=42"},  // absolute-form
  }));
  auto res = r.dispatch(make(method, target), ctx);
  CHECK(res.status == 200);
  CHECK(res.body == expected);
}

TEST_CASE("the router answers 404 for paths nothing serves", "[server]") {
  auto r = sample_router();
  metrics_registry m;
  context ctx(m);
  auto target = GENERATE(as<std::string>{}, "/nope", "/api/v1/lots/L-1/extra", "/c/", "/static",
                         "/api/v1/lots/");
  auto res = r.dispatch(make(verb::get, target), ctx);
  CHECK(res.status == 404);
  CHECK(error_code_of(res) == "not_found");
  CHECK(ctx.route.empty());
}

TEST_CASE("the router answers 405 with the allowed methods", "[server]") {
  auto r = sample_router();
  metrics_registry m;
  context ctx(m);
  SECTION("a method the path does not take") {
    auto res = r.dispatch(make(verb::put, "/api/v1/lots/L-1"), ctx);
    CHECK(res.status == 405);
    CHECK(res.fields.find("Allow") == "GET, HEAD, DELETE");
    CHECK(error_code_of(res) == "method_not_allowed");
    CHECK(ctx.route == "/api/v1/lots/{id}");  // logged by pattern even when refused
  }
  SECTION("a method we do not know at all") {
    auto res = r.dispatch(make(verb::other, "/api/v1/lots"), ctx);
    CHECK(res.status == 405);
    CHECK(res.fields.find("Allow") == "POST");
  }
}

TEST_CASE("HEAD is served by the GET handler", "[server]") {
  auto r = sample_router();
  metrics_registry m;
  context ctx(m);
  auto res = r.dispatch(make(verb::head, "/c/42"), ctx);
  CHECK(res.status == 200);
  CHECK(res.body == "/c/{digits} digits=42");  // the session drops the body, not the router
}

TEST_CASE("a malformed target answers 400", "[server]") {
  auto r = sample_router();
  metrics_registry m;
  context ctx(m);
  auto res = r.dispatch(make(verb::get, "/c/%zz"), ctx);
  CHECK(res.status == 400);
  CHECK(error_code_of(res) == "bad_target");
}

TEST_CASE("handler errors and exceptions become error responses", "[server]") {
  router r;
  r.add(verb::get, "/bad", [](const request&, context&) -> result<response> {
    return codec::fail(codec::errc::bad_credit_code, "the check character should be 7");
  });
  r.add(verb::get, "/bug",
        [](const request&, context&) -> response { throw std::runtime_error("null ledger"); });
  metrics_registry m;
  context ctx(m);
  SECTION("an error a user caused keeps its message, in English when asked") {
    auto res = r.dispatch(make(verb::get, "/bad?lang=en"), ctx);
    CHECK(res.status == 400);
    CHECK(res.body ==
          R"({"error":{"code":"bad_credit_code","message":"the check character should be 7"}})");
    CHECK(res.fields.find("Content-Language") == "en");
    CHECK(ctx.detail.empty());
  }
  SECTION("and in Chinese by default") {
    auto res = r.dispatch(make(verb::get, "/bad"), ctx);
    CHECK(res.status == 400);
    CHECK(res.body == R"({"error":{"code":"bad_credit_code","message":"统一社会信用代码无效"}})");
    CHECK(res.fields.find("Content-Language") == "zh-CN");
  }
  SECTION("an exception is a 500 whose reason goes to the log only") {
    auto res = r.dispatch(make(verb::get, "/bug"), ctx);
    CHECK(res.status == 500);
    CHECK(res.body.find("null ledger") == std::string::npos);
    CHECK(ctx.detail.find("null ledger") != std::string::npos);
  }
}

TEST_CASE("bad route patterns are refused at registration", "[server]") {
  router r;
  r.add(verb::get, "/lots/{id}", echo);
  CHECK_THROWS_AS(r.add(verb::get, "/lots/{id}", echo), std::logic_error);    // duplicate
  CHECK_THROWS_AS(r.add(verb::post, "/lots/{lot}", echo), std::logic_error);  // same shape
  CHECK_THROWS_AS(r.add(verb::get, "lots", echo), std::logic_error);
  CHECK_THROWS_AS(r.add(verb::get, "/a/{}", echo), std::logic_error);
  CHECK_THROWS_AS(r.add(verb::get, "/a/{rest*}/b", echo), std::logic_error);
  CHECK_NOTHROW(r.add(verb::post, "/lots/{id}", echo));
}

TEST_CASE("query parameters are decoded, the first one wins", "[server]") {
  auto req = make(verb::get, "/api/v1/events?after=42&q=cold%20chain&after=7&flag");
  CHECK(query_param(req, "after") == "42");
  CHECK(query_param(req, "q") == "cold chain");
  CHECK(query_param(req, "flag") == "");
  CHECK_FALSE(query_param(req, "page"));
}

TEST_CASE("an asynchronous handler answers once, from another thread", "[server]") {
  router r;
  r.add_async(verb::post, "/later", [](const request& req, context&, respond done) {
    // The answer comes from a thread of its own, as the ledger's writer gives it.
    std::thread([done, body = req.body] {
      done([body]() -> result<response> { return text_response(201, "made " + body); });
    }).detach();
  });
  r.add_async(verb::post, "/refused", [](const request&, context&, respond done) {
    done([]() -> result<response> {
      return codec::fail(codec::errc::bad_value, "\"quantity_g\" must be at least 1");
    });
  });
  r.add_async(verb::post, "/twice", [](const request&, context&, respond done) {
    done([] { return result<response>(text_response(200, "first")); });
    done([] { return result<response>(text_response(200, "second")); });
  });
  r.add_async(verb::post, "/throws", [](const request&, context&, respond) {
    throw std::runtime_error("lost the ledger");
  });
  r.add_async(verb::post, "/throws-later", [](const request&, context&, respond done) {
    done([]() -> result<response> { throw std::runtime_error("encoder broke"); });
  });
  metrics_registry m;
  context ctx(m);
  auto post = [&](std::string target, std::string body = {}) {
    auto req = make(verb::post, std::move(target));
    req.body = std::move(body);
    return r.dispatch(req, ctx);
  };
  SECTION("answered from another thread") {
    auto res = post("/later", "x");
    CHECK(res.status == 201);
    CHECK(res.body == "made x");
    CHECK(ctx.route == "/later");
  }
  SECTION("an error becomes the error response") {
    auto res = post("/refused");
    CHECK(res.status == 400);
    CHECK(error_code_of(res) == "bad_value");
  }
  SECTION("a second answer is ignored") {
    CHECK(post("/twice").body == "first");
  }
  SECTION("a handler that throws is a 500 with the reason in the log only") {
    auto res = post("/throws");
    CHECK(res.status == 500);
    CHECK(res.body.find("lost the ledger") == std::string::npos);
    CHECK(ctx.detail.find("lost the ledger") != std::string::npos);
  }
  SECTION("so is a response maker that throws") {
    auto res = post("/throws-later");
    CHECK(res.status == 500);
    CHECK(ctx.detail.find("encoder broke") != std::string::npos);
  }
}
