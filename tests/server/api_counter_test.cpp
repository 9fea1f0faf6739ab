// The counter's reads over HTTP (issue 10): a unit's stock by code and today's checks, right
// after each receipt, sale and dispatch, for the unit's own staff only.
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// The stock line of `code`, or null.
const json::object* line_of(const api_reply& r, std::int64_t code) {
  for (const auto& l : r.at("stock").as_array())
    if (l.at("code").at("id").to_number<std::int64_t>() == code) return &l.as_object();
  return nullptr;
}

std::int64_t grams(const json::object& o, std::string_view key) {
  return o.at(key).to_number<std::int64_t>();
}

}  // namespace

TEST_CASE("the counter: stock and today's checks after receipt, sale and dispatch",
          "[server][api]") {
  api_fixture f;
  auto x = make_world(f);
  const auto stock_path = "/api/v1/units/" + std::to_string(x.s) + "/stock";
  const auto today_path = "/api/v1/units/" + std::to_string(x.s) + "/today";

  auto stock = f.get(stock_path, x.op.token);
  REQUIRE(stock.status == 200);
  const auto* received = line_of(stock, x.at_s);
  REQUIRE(received);
  CHECK(grams(*received, "received_g") == 1'000);
  CHECK(grams(*received, "remaining_g") == 1'000);
  CHECK(str(received->at("product")) == "冻带鱼");
  const auto* pending = line_of(stock, x.pending_s);
  REQUIRE(pending);
  CHECK(str(pending->at("code").at("status")) == "pending");
  CHECK(grams(*pending, "received_g") == 0);

  // Received by its number, as the counter's scan field sends it.
  auto pending_url = f.url_of(f.ledger().get_code(x.op.who, x.pending_s).value());
  REQUIRE(f.post("/api/v1/receive", {{"code", pending_url}}, x.op.token).status == 200);
  auto sale =
      f.post("/api/v1/sale-checks", {{"code", x.url_at_s}, {"quantity_g", 250}}, x.op.token);
  REQUIRE(sale.status == 200);
  REQUIRE(f.post("/api/v1/dispatch", {{"code", x.at_s}, {"consignee", x.s2}, {"quantity_g", 300}},
                 x.op.token)
              .status == 201);
  auto refused = f.post("/api/v1/sale-checks", {{"code", x.url_at_s2}}, x.op.token);
  REQUIRE(str(refused.at("verdict")) == "wrong_holder");

  stock = f.get(stock_path, x.op.token);
  REQUIRE(stock.status == 200);
  received = line_of(stock, x.at_s);
  REQUIRE(received);
  CHECK(grams(*received, "received_g") == 1'000);
  CHECK(grams(*received, "sold_g") == 250);
  CHECK(grams(*received, "dispatched_g") == 300);
  CHECK(grams(*received, "remaining_g") == 450);
  pending = line_of(stock, x.pending_s);
  REQUIRE(pending);
  CHECK(str(pending->at("code").at("status")) == "active");
  CHECK(grams(*pending, "received_g") == 1'000);

  auto today = f.get(today_path, x.op.token);
  REQUIRE(today.status == 200);
  CHECK(today.at("sales").to_number<int>() == 1);
  CHECK(today.at("sold_g").to_number<int>() == 250);
  CHECK(today.at("refused").to_number<int>() == 1);
  const auto& checks = today.at("checks").as_array();
  REQUIRE(checks.size() == 2);
  CHECK(str(checks[0].at("verdict")) == "wrong_holder");
  CHECK_FALSE(checks[0].at("allowed").as_bool());
  CHECK(str(checks[0].at("message_zh")).find("本单位") != std::string::npos);
  CHECK(checks[0].at("code").at("id").to_number<std::int64_t>() == x.at_s2);
  // Another unit's code is named, its quantities are not shown.
  CHECK_FALSE(checks[0].at("code").as_object().contains("remaining_g"));
  CHECK(checks[1].at("sale").to_number<std::int64_t>() == sale.id("sale"));
  CHECK(checks[1].at("quantity_g").to_number<int>() == 250);
}

TEST_CASE("the counter refuses another unit's stock and day with a clear message",
          "[server][api]") {
  api_fixture f;
  auto x = make_world(f);
  for (const std::string what : {"stock", "today"}) {
    const auto other = "/api/v1/units/" + std::to_string(x.s2) + "/" + what;
    const auto before = f.audit_events();
    auto zh = f.get(other, x.op.token);
    CHECK(zh.status == 403);
    CHECK(zh.error_code() == "forbidden");
    CHECK(str(zh.json.at("error").at("message")).find("本单位") != std::string::npos);
    auto en = f.get(other + "?lang=en", x.op.token);
    CHECK(en.status == 403);
    CHECK(str(en.json.at("error").at("message")).find("its own unit only") != std::string::npos);
    // An inspector reads the stock a unit should hold (api_findings_test), not its day.
    CHECK(f.get(other, x.inspector.token).status == (what == "stock" ? 200u : 403u));
    CHECK(f.get(other).status == 401);
    CHECK(f.get("/api/v1/units/x/" + what, x.op.token).status == 404);  // as every {id} route
    CHECK(f.audit_events() == before);
  }
}
