// Idempotency-Key on intake, dispatch, receive and sale checks: a retry after a lost answer
// gets the first answer, and the write happens once (issue 9 §5).
#include "tests/server/api_world.hpp"

#include <thread>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

api_reply keyed(api_fixture& f, std::string_view target, const json::value& body, const caller& as,
                std::string key) {
  return f.call_with("POST", target, json::serialize(body), as.token,
                     {{"Content-Type", "application/json"},
                      {"Accept-Language", "en"},  // the messages checked are the English ones
                      {"Idempotency-Key", std::move(key)}});
}

std::size_t count(api_fixture& f, const std::string& list, const caller& as) {
  return f.get("/api/v1/" + list + "?limit=1000", as.token).at(list).as_array().size();
}

}  // namespace

TEST_CASE("a write sent again with its Idempotency-Key answers as the first, once",
          "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  SECTION("intake") {
    const auto lots = count(f, "lots", x.wh);
    const auto events = f.audit_events();
    auto first = keyed(f, "/api/v1/lots", intake_body(), x.wh, "lot-2024-03-01-a");
    auto again = keyed(f, "/api/v1/lots", intake_body(), x.wh, "lot-2024-03-01-a");
    CHECK(first.status == 201);
    CHECK(again.status == first.status);
    CHECK(again.body == first.body);
    CHECK(count(f, "lots", x.wh) == lots + 1);
    CHECK(f.audit_events() == events + 1);
  }
  SECTION("dispatch") {
    const json::object body{{"code", x.at_s}, {"consignee", x.s2}, {"quantity_g", 10}};
    const auto held = f.ledger().get_code(x.op.who, x.at_s).value();
    auto first = keyed(f, "/api/v1/dispatch", body, x.op, "d1");
    auto again = keyed(f, "/api/v1/dispatch", body, x.op, "d1");
    CHECK(first.status == 201);
    CHECK(again.status == 201);
    CHECK(again.body == first.body);
    const auto after = f.ledger().get_code(x.op.who, x.at_s).value();
    CHECK(after.children == held.children + 1);
    CHECK(after.remaining_g == held.remaining_g - 10);
  }
  SECTION("receive: the retry is no 409 already_received") {
    const json::object body{{"code", x.pending_s}};
    auto first = keyed(f, "/api/v1/receive", body, x.op, "r1");
    auto again = keyed(f, "/api/v1/receive", body, x.op, "r1");
    CHECK(first.status == 200);
    CHECK(again.status == 200);
    CHECK(again.body == first.body);
    CHECK(f.post("/api/v1/receive", body, x.op.token).error_code() == "already_received");
  }
  SECTION("a sale check with a quantity sold") {
    const json::object body{{"code", x.url_at_s}, {"quantity_g", 250}};
    const auto sales = count(f, "sales", x.op);
    auto first = keyed(f, "/api/v1/sale-checks", body, x.op, "sale:counter-3:0001");
    auto again = keyed(f, "/api/v1/sale-checks", body, x.op, "sale:counter-3:0001");
    CHECK(first.status == 200);
    CHECK(again.body == first.body);
    CHECK(count(f, "sales", x.op) == sales + 1);
  }
  SECTION("without a key, each request is a write of its own") {
    const auto lots = count(f, "lots", x.wh);
    CHECK(f.post("/api/v1/lots", intake_body(), x.wh.token).status == 201);
    CHECK(f.post("/api/v1/lots", intake_body(), x.wh.token).status == 201);
    CHECK(count(f, "lots", x.wh) == lots + 2);
  }
}

TEST_CASE(
    "an Idempotency-Key is one request's: another body is refused, another account is "
    "independent",
    "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  auto body = intake_body();
  REQUIRE(keyed(f, "/api/v1/lots", body, x.wh, "k-1").status == 201);
  const auto lots = count(f, "lots", x.wh);
  const auto events = f.audit_events();
  SECTION("the same key with another body") {
    body["packages"] = 11;
    auto r = keyed(f, "/api/v1/lots", body, x.wh, "k-1");
    CHECK(r.status == 422);
    CHECK(r.error_code() == "idempotency_key_reused");
    CHECK_THAT(r.body, Catch::Contains("different request"));
  }
  SECTION("the same key on another endpoint") {
    auto r = keyed(f, "/api/v1/receive", json::object{{"code", x.pending_w}}, x.wh, "k-1");
    CHECK(r.status == 422);
    CHECK(r.error_code() == "idempotency_key_reused");
  }
  SECTION("keys that are no keys") {
    for (std::string key : {std::string(65, 'k'), std::string("clé")}) {
      auto r = keyed(f, "/api/v1/lots", body, x.wh, key);
      CHECK(r.status == 400);
      CHECK_THAT(r.body, Catch::Contains("Idempotency-Key"));
    }
  }
  CHECK(count(f, "lots", x.wh) == lots);
  CHECK(f.audit_events() == events);
  // Another warehouse account with the same key writes its own lot.
  const auto other = f.add_account(x.w, storage::account_role::warehouse);
  CHECK(keyed(f, "/api/v1/lots", intake_body(), other, "k-1").status == 201);
  CHECK(count(f, "lots", x.wh) == lots + 1);
}

TEST_CASE("concurrent retries with one Idempotency-Key write once", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto lots = count(f, "lots", x.wh);
  const json::object sale{{"code", x.url_at_s}, {"quantity_g", 5}};
  const auto sales = count(f, "sales", x.op);
  constexpr int clients = 8;
  std::vector<reply> intakes(clients), checks(clients);
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) {
      threads.emplace_back([&, i] {
        client c(f.port());
        intakes[i] = c.request("POST", "/api/v1/lots", json::serialize(intake_body()),
                               {{"Content-Type", "application/json"},
                                {"Authorization", "Bearer " + x.wh.token},
                                {"Idempotency-Key", "same"}});
        checks[i] = c.request("POST", "/api/v1/sale-checks", json::serialize(sale),
                              {{"Content-Type", "application/json"},
                               {"Authorization", "Bearer " + x.op.token},
                               {"Idempotency-Key", "same"}});
      });
    }
    for (auto& t : threads) t.join();
  }
  for (int i = 0; i < clients; ++i) {
    INFO(i << ": " << intakes[i].body << " / " << checks[i].body);
    CHECK(intakes[i].status == 201);
    CHECK(intakes[i].body == intakes[0].body);
    CHECK(checks[i].status == 200);
    CHECK(checks[i].body == checks[0].body);
  }
  CHECK(count(f, "lots", x.wh) == lots + 1);
  CHECK(count(f, "sales", x.op) == sales + 1);
}
