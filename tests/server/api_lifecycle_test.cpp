// The whole lifecycle over real HTTP, as the console and the scanners drive it: units and
// accounts, intake → sample → result → disinfection → release → dispatch → receive → sale
// check → recall → verification shows "recalled"; and what offline verifiers fetch.
#include "codec/keys.hpp"
#include "codec/url.hpp"
#include "tests/server/api_fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;
using storage::account_role;

namespace {

std::string credit(std::string_view first17) {
  return storage::with_check_character(first17);
}

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// Registers a unit and one account there through the API, as the bureau's admin would.
caller enrol(api_fixture& f, std::string_view first17, std::string_view name, std::string_view kind,
             std::string_view role) {
  auto unit = f.post("/api/v1/units",
                     {{"credit_code", credit(first17)},
                      {"name", name},
                      {"kind", kind},
                      {"region", "上海市浦东新区"}},
                     f.admin.token);
  REQUIRE(unit.status == 201);
  auto account = f.post("/api/v1/accounts", {{"unit", unit.id()}, {"role", role}, {"name", "张伟"}},
                        f.admin.token);
  REQUIRE(account.status == 201);
  const auto& a = account.at("account").as_object();
  return {{a.at("id").to_number<std::int64_t>(), unit.id(),
           *storage::account_role_from(a.at("role").as_string())},
          str(account.at("token"))};
}

std::string verdict_of(api_fixture& f, std::string_view code) {
  auto r = f.get("/api/v1/verify?code=" + std::string(code));
  REQUIRE(r.status == 200);
  return str(r.at("verdict"));
}

void lifecycle(api_fixture& f) {
  auto warehouse =
      enrol(f, "91310115MA1H00001", "浦东进口冷链食品集中监管仓", "warehouse", "warehouse");
  auto wholesaler = enrol(f, "91310107MA1H00003", "江桥果品批发市场", "seller", "operator");
  auto shop = enrol(f, "92310104MA1H00004", "天平路生鲜超市", "seller", "operator");

  auto me = f.get("/api/v1/me", shop.token);
  REQUIRE(me.status == 200);
  CHECK(str(me.at("role")) == "operator");
  CHECK(me.at("unit").as_object().at("id").to_number<std::int64_t>() == shop.who.unit);

  // Intake: the lot and its root code, printable at once but not sellable.
  auto intake = f.post("/api/v1/lots",
                       {{"product", "智利车厘子 JJ级"},
                        {"category", "imported_fruit"},
                        {"origin", "CL"},
                        {"net_weight_g", 1'000'000},
                        {"packages", 200},
                        {"consignor", "上海鲜丰进出口有限公司"},
                        {"customs_number", "220120241000123456"},
                        {"quarantine_certificate", "310000124000321"},
                        {"vehicle", "沪A·D1234"}},
                       warehouse.token);
  REQUIRE(intake.status == 201);
  const auto lot = intake.at("lot").as_object().at("id").to_number<std::int64_t>();
  const auto root_url = str(intake.at("code").as_object().at("url"));
  CHECK(root_url.starts_with("https://trace.example.gov.cn/c/"));
  CHECK(verdict_of(f, root_url) == "not_released");
  // The short number printed under the QR (docs/code-format.md §8): id, tag, check digit.
  const auto root_number = str(intake.at("code").as_object().at("number"));
  CHECK(root_number.size() == 14);
  CHECK(root_number.starts_with("0000 01"));

  auto label =
      f.get("/api/v1/codes/" + std::to_string(intake.at("code").as_object().at("id").as_int64()) +
                "/label.png",
            warehouse.token);
  REQUIRE(label.status == 200);
  CHECK(label.body.substr(1, 3) == "PNG");

  const std::string lots = "/api/v1/lots/" + std::to_string(lot);
  // Release before the rules hold: 409 naming the rule.
  auto early = f.post(lots + "/release", json::object{}, warehouse.token);
  CHECK(early.status == 409);
  CHECK(early.error_code() == "no_samples");

  auto sample =
      f.post(lots + "/samples", {{"type", "food_surface"}, {"collector", "张伟"}}, warehouse.token);
  REQUIRE(sample.status == 201);
  auto result =
      f.post("/api/v1/samples/" + std::to_string(sample.id()) + "/result",
             {{"outcome", "negative"}, {"lab", "上海市疾控中心"}, {"report_number", "HS2024-0001"}},
             warehouse.token);
  REQUIRE(result.status == 201);
  CHECK(str(result.at("result").as_object().at("outcome")) == "negative");
  auto pending = f.post(lots + "/release", json::object{}, warehouse.token);
  CHECK(pending.error_code() == "no_disinfection");
  auto disinfection =
      f.post(lots + "/disinfections",
             {{"agent", "过氧乙酸 0.2%"}, {"operator", "张伟"}, {"certificate", "XD-0001"}},
             warehouse.token);
  REQUIRE(disinfection.status == 201);
  auto released = f.call("POST", lots + "/release", "", warehouse.token);
  REQUIRE(released.status == 200);
  CHECK(str(released.at("status")) == "released");
  CHECK(verdict_of(f, root_url) == "valid");

  // Dispatch by URL to the wholesaler, who receives by scanning; then on to the shop.
  auto to_wholesaler =
      f.post("/api/v1/dispatch",
             {{"code", root_url}, {"consignee", wholesaler.who.unit}, {"quantity_g", 400'000}},
             warehouse.token);
  REQUIRE(to_wholesaler.status == 201);
  const auto w_url = str(to_wholesaler.at("url"));
  CHECK(verdict_of(f, w_url) == "pending_receipt");
  REQUIRE(f.post("/api/v1/receive", {{"code", w_url}}, wholesaler.token).status == 200);
  auto to_shop =
      f.post("/api/v1/dispatch",
             {{"code", to_wholesaler.id()}, {"consignee", shop.who.unit}, {"quantity_g", 50'000}},
             wholesaler.token);
  REQUIRE(to_shop.status == 201);
  const auto s_url = str(to_shop.at("url"));
  REQUIRE(f.post("/api/v1/receive", {{"code", s_url}}, shop.token).status == 200);

  // The shop sells; the wholesaler's code shown at the shop is refused.
  auto sale = f.post("/api/v1/sale-checks", {{"code", s_url}, {"quantity_g", 2'000}}, shop.token);
  REQUIRE(sale.status == 200);
  CHECK(str(sale.at("verdict")) == "valid");
  CHECK(sale.at("allowed").as_bool());
  CHECK(sale.at("remaining_g").as_int64() == 48'000);
  auto elsewhere = f.post("/api/v1/sale-checks", {{"code", w_url}}, shop.token);
  CHECK(str(elsewhere.at("verdict")) == "wrong_holder");
  CHECK_FALSE(elsewhere.at("allowed").as_bool());
  auto sales = f.get("/api/v1/sales", shop.token);
  REQUIRE(sales.status == 200);
  CHECK(sales.at("sales").as_array().size() == 1);

  // The facts a phone shows.
  auto shown = f.get("/api/v1/verify?code=" + s_url);
  const auto& facts = shown.at("facts").as_object();
  CHECK(str(facts.at("product")) == "智利车厘子 JJ级");
  CHECK(str(facts.at("origin")) == "CL");
  CHECK(facts.at("samples").as_object().at("negative").as_int64() == 1);
  CHECK(str(facts.at("holder").as_object().at("name")) == "天平路生鲜超市");
  CHECK_FALSE(facts.contains("chain"));
  CHECK(facts.at("tests").as_array().size() == 1);
  CHECK_FALSE(str(shown.at("message_zh")).empty());

  // Recall: every descendant blocked, the holders listed with what they hold.
  auto recall =
      f.post("/api/v1/recalls", {{"lot", lot}, {"reason", "海关通报外包装阳性"}}, f.admin.token);
  REQUIRE(recall.status == 201);
  CHECK(recall.at("codes_blocked").as_int64() >= 3);
  std::int64_t held = 0;
  for (const auto& h : recall.at("holders").as_array())
    held += h.as_object().at("held_g").as_int64() + h.as_object().at("in_transit_g").as_int64();
  CHECK(held == 1'000'000 - 2'000);
  for (const auto& url : {root_url, w_url, s_url}) CHECK(verdict_of(f, url) == "recalled");
  auto refused = f.post("/api/v1/sale-checks", {{"code", s_url}, {"quantity_g", 1}}, shop.token);
  CHECK(str(refused.at("verdict")) == "recalled");

  // The trace, the signed block list and the published keys agree.
  auto trace = f.get("/api/v1/trace?lot=" + std::to_string(lot), f.admin.token);
  REQUIRE(trace.status == 200);
  CHECK(trace.at("descendants").as_array().size() == 2);
  auto jwks = codec::key_set::from_jwks(f.get("/.well-known/jwks.json").body);
  REQUIRE(jwks);
  auto blocked = f.get("/api/v1/blocked");
  REQUIRE(blocked.status == 200);
  bytes payload, signature;
  REQUIRE(base64url_decode(str(blocked.at("payload")), payload));
  REQUIRE(base64url_decode(str(blocked.at("signature")), signature));
  const auto* key = jwks->keys().data();
  REQUIRE(codec::kid_text(key->kid) == str(blocked.at("kid")));
  CHECK(codec::verify_signature(*key, payload, signature));
  auto list = json::parse(std::string(payload.begin(), payload.end())).as_object();
  bool listed = false;
  for (const auto& entry : list.at("entries").as_array())
    listed = listed || (entry.as_object().at("lot").as_int64() == lot &&
                        entry.as_object().at("status").as_string() == "recalled");
  CHECK(listed);

  auto events = f.get("/api/v1/events?limit=1000", f.admin.token);
  REQUIRE(events.status == 200);
  CHECK(static_cast<std::int64_t>(events.at("events").as_array().size()) == f.audit_events());
  auto metrics = f.metrics();
  CHECK(metrics.find("coldtrace_verifications_total{verdict=\"recalled\"} 3") != std::string::npos);
  CHECK(metrics.find("coldtrace_sale_checks_total{verdict=\"wrong_holder\"} 1") !=
        std::string::npos);
  if (!f.on_postgres()) {
    // The write-ahead log's gauges (storage/sqlite/wal_keeper.hpp).
    CHECK(metrics.find("\ncoldtrace_wal_pages ") != std::string::npos);
    CHECK(metrics.find("\ncoldtrace_wal_checkpoints ") != std::string::npos);
  }
  CHECK(f.ledger().verify_chain().value().intact());
}

}  // namespace

TEST_CASE("the lifecycle over HTTP ends with a recall every verifier sees", "[server][api]") {
  api_fixture f;
  lifecycle(f);
}

// The same requests, the same answers, with the ledger on PostgreSQL (issue 13).
TEST_CASE("the lifecycle over HTTP on PostgreSQL", "[server][api][postgres]") {
  REQUIRE_PG_OR_RETURN();
  api_fixture f{api_fixture::backend::postgres};
  lifecycle(f);
}
