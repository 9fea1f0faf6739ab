// Sign-in by name and password over HTTP: POST /api/v1/sessions, the session token as a
// bearer token, sign-out, an admin ending a person's sessions, and the limits on attempts.
#include "storage/sessions.hpp"
#include "tests/server/api_fixture.hpp"

#include <catch2/catch.hpp>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

std::string message_of(const api_reply& r) {
  return std::string(r.json.at("error").at("message").as_string());
}

json::value credentials(std::string name, std::string password) {
  return {{"name", std::move(name)}, {"password", std::move(password)}};
}

// A seller's operator with a password, as an admin sets it over the API.
struct person {
  caller who;
  std::string name;
};
person with_password(api_fixture& f, const std::string& password) {
  const auto unit = f.add_unit(storage::unit_kind::seller);
  auto who = f.add_account(unit, storage::account_role::unit_operator);
  auto r = f.call("PUT", "/api/v1/accounts/" + std::to_string(who.who.account) + "/password",
                  json::serialize(json::value{{"password", password}}), f.admin.token);
  REQUIRE(r.status == 200);
  return {who, std::string(r.json.at("account").at("name").as_string())};
}

}  // namespace

TEST_CASE("a person signs in with name and password, uses the session and signs out",
          "[server][api][sessions]") {
  api_fixture f;
  const auto p = with_password(f, "天平路 2024 fresh");
  client c(f.port());
  auto raw = c.request("POST", "/api/v1/sessions",
                       json::serialize(credentials(p.name, "天平路 2024 fresh")),
                       {{"Content-Type", "application/json"}});
  REQUIRE(raw.status == 201);
  CHECK(raw.header("Cache-Control") == "no-store");
  const auto body = json::parse(raw.body);
  const std::string token{body.at("token").as_string()};
  CHECK(token.starts_with("cs_"));
  CHECK(body.at("account").at("id").to_number<std::int64_t>() == p.who.who.account);
  CHECK(body.at("expires_at").is_string());

  auto me = f.get("/api/v1/me", token);
  REQUIRE(me.status == 200);
  CHECK(me.at("role").as_string() == "operator");
  CHECK(me.at("account").to_number<std::int64_t>() == p.who.who.account);

  // A bearer token has no session to end.
  CHECK(f.call("DELETE", "/api/v1/sessions/current", {}, p.who.token).status == 400);
  auto out = f.call("DELETE", "/api/v1/sessions/current", {}, token);
  CHECK(out.status == 200);
  auto after = f.get("/api/v1/me", token);
  CHECK(after.status == 401);
  CHECK(message_of(after) == "会话已退出，请重新登录");
}

TEST_CASE("a wrong password is refused in the caller's language and writes nothing",
          "[server][api][sessions]") {
  api_fixture f;
  const auto p = with_password(f, "天平路 2024 fresh");
  const auto events = f.audit_events();
  auto zh = f.post("/api/v1/sessions", credentials(p.name, "wrong password"), {});
  CHECK(zh.status == 401);
  CHECK(message_of(zh) == "用户名或密码不正确");
  auto en = f.post("/api/v1/sessions?lang=en", credentials("nobody at all", "wrong password"), {});
  CHECK(en.status == 401);
  CHECK(message_of(en) == "the name or the password is wrong");
  SECTION("bad input is a 400") {
    CHECK(f.call("POST", "/api/v1/sessions", R"({"name":"x"})").status == 400);
    CHECK(f.post("/api/v1/sessions", credentials("", "x"), {}).status == 400);
    CHECK(f.post("/api/v1/sessions", credentials(p.name, std::string(129, 'a')), {}).status == 400);
    CHECK(f.call("POST", "/api/v1/sessions", R"({"name":"x","password":"y","role":"admin"})")
              .status == 400);
  }
  SECTION("a password too short is refused in Chinese") {
    auto r = f.call("PUT", "/api/v1/accounts/" + std::to_string(p.who.who.account) + "/password",
                    R"({"password":"short"})", f.admin.token);
    CHECK(r.status == 400);
    CHECK(message_of(r) == "密码至少需要 8 个字符");
  }
  CHECK(f.audit_events() == events);
}

TEST_CASE("failed sign-ins are limited per name and per address, with a time to retry",
          "[server][api][sessions]") {
  api_fixture f;
  const auto p = with_password(f, "天平路 2024 fresh");
  for (int i = 0; i < 5; ++i)
    REQUIRE(
        f.post("/api/v1/sessions", credentials(p.name, "wrong " + std::to_string(i)), {}).status ==
        401);
  client c(f.port());
  auto refused = c.request("POST", "/api/v1/sessions",
                           json::serialize(credentials(p.name, "天平路 2024 fresh")),
                           {{"Content-Type", "application/json"}});
  CHECK(refused.status == 429);
  REQUIRE(refused.header("Retry-After"));
  const auto seconds = std::stoi(*refused.header("Retry-After"));
  CHECK(seconds > 800);
  CHECK(seconds <= 900);
  const auto body = json::parse(refused.body);
  CHECK(body.at("error").at("code").as_string() == "too_many_requests");
  CHECK(std::string(body.at("error").at("message").as_string()) ==
        "登录失败次数过多，请 15 分钟后再试");

  // Another name from the same address may still try, up to the address's limit.
  const auto q = with_password(f, "another long one");
  auto ok = f.post("/api/v1/sessions", credentials(q.name, "another long one"), {});
  CHECK(ok.status == 201);
  for (int i = 0; i < 15; ++i)
    REQUIRE(f.post("/api/v1/sessions", credentials("guess " + std::to_string(i), "wrong one"), {})
                .status == 401);
  CHECK(f.post("/api/v1/sessions", credentials(q.name, "another long one"), {}).status == 429);
}

TEST_CASE("sessions end when they expire and when an admin revokes them",
          "[server][api][sessions]") {
  api_fixture f;
  const auto p = with_password(f, "天平路 2024 fresh");
  SECTION("expired") {
    auto ctx = f.as({});
    ctx.at -= storage::session_lifetime + std::chrono::seconds{1};
    auto* store = storage::sessions_of(f.ledger()).value();
    const auto old = store->sign_in(ctx, {p.name, "天平路 2024 fresh"}).value();
    auto r = f.get("/api/v1/me", old.token);
    CHECK(r.status == 401);
    CHECK(message_of(r) == "会话已过期，请重新登录");
  }
  SECTION("revoked by an admin, not by another unit") {
    auto s = f.post("/api/v1/sessions", credentials(p.name, "天平路 2024 fresh"), {});
    REQUIRE(s.status == 201);
    const std::string token{s.at("token").as_string()};
    const auto target = "/api/v1/accounts/" + std::to_string(p.who.who.account) + "/sessions";
    const auto other = with_password(f, "other password");
    CHECK(f.call("DELETE", target, {}, other.who.token).status == 404);
    CHECK(f.get("/api/v1/me", token).status == 200);
    auto revoked = f.call("DELETE", target, {}, f.admin.token);
    CHECK(revoked.status == 200);
    CHECK(revoked.at("sessions_ended").to_number<int>() == 1);
    CHECK(f.get("/api/v1/me", token).status == 401);
    // The bearer token (a machine's) is untouched.
    CHECK(f.get("/api/v1/me", p.who.token).status == 200);
  }
}
