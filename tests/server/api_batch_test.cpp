// POST /api/v1/batch (issue 12, enterprises below): many receipts, dispatches and sales in
// one request, each line with its own reference and result; resent, it writes nothing twice.
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

api_reply send(api_fixture& f, const json::value& body, const caller& as,
               std::string_view lang = "zh") {
  return f.call_with("POST", "/api/v1/batch?lang=" + std::string(lang), json::serialize(body),
                     as.token, {{"Content-Type", "application/json"}});
}

std::size_t sales(api_fixture& f, const caller& as) {
  return f.get("/api/v1/sales?limit=1000", as.token).at("sales").as_array().size();
}

std::string status_of(const api_reply& r, std::size_t line) {
  return std::string(r.at("lines").as_array().at(line).at("status").as_string());
}

std::string message_of(const api_reply& r, std::size_t line) {
  return std::string(r.at("lines").as_array().at(line).at("error").at("message").as_string());
}

// The shop's day: a receipt, a dispatch on to the other shop, a sale, and two lines that
// break rules: another unit's code, and more than the code holds.
json::object shop_day(const world& x) {
  json::array lines{
      json::object{{"ref", "GRN-1"}, {"op", "receipt"}, {"code", x.pending_s}},
      json::object{{"ref", "DO-1"},
                   {"op", "dispatch"},
                   {"code", x.at_s},
                   {"consignee", x.s2},
                   {"quantity_g", 10}},
      json::object{{"ref", "POS-1"}, {"op", "sale"}, {"code", x.url_at_s}, {"quantity_g", 250}},
      json::object{{"ref", "DO-2"},
                   {"op", "dispatch"},
                   {"code", x.at_s2},
                   {"consignee", x.s2},
                   {"quantity_g", 10}},
      json::object{{"ref", "DO-3"},
                   {"op", "dispatch"},
                   {"code", x.at_s},
                   {"consignee", x.s2},
                   {"quantity_g", 1'000'000'000}},
  };
  return {{"lines", std::move(lines)}};
}

}  // namespace

TEST_CASE("a batch writes its good lines and names each bad one", "[server][api][batch]") {
  api_fixture f;
  const world x = make_world(f);
  const auto sold = sales(f, x.op);
  const auto held = f.ledger().get_code(x.op.who, x.at_s).value();
  auto r = send(f, shop_day(x), x.op);
  REQUIRE(r.status == 200);
  CHECK(r.at("written").as_bool());
  CHECK(status_of(r, 0) == "done");
  CHECK(status_of(r, 1) == "done");
  CHECK(status_of(r, 2) == "done");
  CHECK(status_of(r, 3) == "failed");
  CHECK(status_of(r, 4) == "failed");
  CHECK(r.at("summary").at("done").as_int64() == 3);
  CHECK(r.at("summary").at("failed").as_int64() == 2);
  // Another unit's code is as if it did not exist; the message names the line and reference.
  CHECK(r.at("lines").as_array().at(3).at("error").at("code") == "not_found");
  CHECK(message_of(r, 3).starts_with("第 4 行（DO-2）："));
  CHECK(r.at("lines").as_array().at(4).at("error").at("code") == "insufficient_quantity");
  CHECK(message_of(r, 4).starts_with("第 5 行（DO-3）：码"));
  CHECK(sales(f, x.op) == sold + 1);
  const auto after = f.ledger().get_code(x.op.who, x.at_s).value();
  CHECK(after.remaining_g == held.remaining_g - 10 - 250);
  CHECK(f.ledger().get_code(x.op.who, x.pending_s).value().status == storage::code_status::active);
  SECTION("in English with lang=en") {
    auto en = send(f, shop_day(x), x.op, "en");
    CHECK(message_of(en, 3).starts_with("line 4 (DO-2): "));
  }
}

TEST_CASE("a batch resent after a lost answer writes nothing twice and answers the same",
          "[server][api][batch]") {
  api_fixture f;
  const world x = make_world(f);
  auto first = send(f, shop_day(x), x.op);
  REQUIRE(first.status == 200);
  const auto events = f.audit_events();
  const auto sold = sales(f, x.op);
  auto again = send(f, shop_day(x), x.op);
  REQUIRE(again.status == 200);
  CHECK(again.at("lines") == first.at("lines"));
  CHECK(again.at("summary").at("replayed").as_int64() == 3);
  CHECK_FALSE(again.at("written").as_bool());
  CHECK(f.audit_events() == events);
  CHECK(sales(f, x.op) == sold);
  SECTION("a reference sent again with another operation is refused, and writes nothing") {
    json::object other{
        {"lines", json::array{json::object{
                      {"ref", "POS-1"}, {"op", "sale"}, {"code", x.url_at_s}, {"quantity_g", 1}}}}};
    auto r = send(f, other, x.op);
    CHECK(status_of(r, 0) == "failed");
    CHECK(r.at("lines").as_array().at(0).at("error").at("code") == "idempotency_key_reused");
    CHECK(f.audit_events() == events);
  }
}

TEST_CASE("an atomic batch with a bad line writes nothing", "[server][api][batch]") {
  api_fixture f;
  const world x = make_world(f);
  const auto events = f.audit_events();
  auto body = shop_day(x);
  body["atomic"] = true;
  SECTION("a line that breaks a rule") {
    auto r = send(f, body, x.op);
    REQUIRE(r.status == 200);
    CHECK_FALSE(r.at("written").as_bool());
    CHECK(status_of(r, 0) == "rolled_back");
    CHECK(status_of(r, 2) == "rolled_back");
    CHECK(status_of(r, 3) == "failed");
  }
  SECTION("a line that cannot be read") {
    body["lines"].as_array().at(3).as_object().erase("quantity_g");
    auto r = send(f, body, x.op);
    REQUIRE(r.status == 200);
    CHECK(status_of(r, 0) == "rolled_back");
    CHECK(r.at("lines").as_array().at(3).at("error").at("code") == "missing_field");
    CHECK(message_of(r, 3).starts_with("第 4 行（DO-2）："));
  }
  CHECK(f.audit_events() == events);
  // The references were not used up: the same lines without the bad ones are written.
  auto good = shop_day(x);
  good["lines"].as_array().resize(3);
  good["atomic"] = true;
  auto r = send(f, good, x.op);
  CHECK(r.at("summary").at("done").as_int64() == 3);
  CHECK(r.at("summary").at("replayed").as_int64() == 0);
}

TEST_CASE("a dry run checks every line and writes nothing", "[server][api][batch]") {
  api_fixture f;
  const world x = make_world(f);
  const auto events = f.audit_events();
  auto body = shop_day(x);
  body["dry_run"] = true;
  auto r = send(f, body, x.op);
  REQUIRE(r.status == 200);
  CHECK(r.at("dry_run").as_bool());
  CHECK_FALSE(r.at("written").as_bool());
  CHECK(status_of(r, 0) == "done");
  CHECK(status_of(r, 3) == "failed");
  CHECK(f.audit_events() == events);
  CHECK(f.ledger().get_code(x.op.who, x.pending_s).value().status == storage::code_status::pending);
}

TEST_CASE("a batch refuses what is not a batch, and writes nothing", "[server][api][batch]") {
  api_fixture f;
  const world x = make_world(f);
  const auto events = f.audit_events();
  SECTION("too many lines: 413") {
    json::array lines;
    for (int i = 0; i < 1001; ++i)
      lines.push_back(
          json::object{{"ref", "R" + std::to_string(i)}, {"op", "receipt"}, {"code", x.pending_s}});
    auto r = send(f, json::object{{"lines", std::move(lines)}}, x.op);
    CHECK(r.status == 413);
    CHECK(r.error_code() == "body_too_large");
    CHECK(std::string(r.at("error").at("message").as_string()).find("1000") != std::string::npos);
  }
  SECTION("no lines") {
    CHECK(send(f, json::object{{"lines", json::array{}}}, x.op).status == 400);
  }
  SECTION("lines that are not a list") {
    CHECK(send(f, json::object{{"lines", "GRN-1"}}, x.op).error_code() == "wrong_type");
  }
  SECTION("a field the batch does not take") {
    CHECK(send(f, json::object{{"lines", json::array{}}, {"unit", x.s2}}, x.op).error_code() ==
          "unknown_field");
  }
  SECTION("a line without a reference, or another kind of line") {
    auto r = send(
        f,
        json::object{
            {"lines",
             json::array{json::object{{"op", "receipt"}, {"code", x.pending_s}},
                         json::object{{"ref", "X"}, {"op", "recall"}, {"code", x.pending_s}}}}},
        x.op);
    CHECK(status_of(r, 0) == "failed");
    CHECK(status_of(r, 1) == "failed");
    CHECK(r.at("lines").as_array().at(1).at("error").at("code") == "bad_value");
  }
  SECTION("an inspector: 403") {
    auto r = send(f, shop_day(x), x.inspector);
    CHECK(r.status == 403);
  }
  CHECK(f.audit_events() == events);
}
