// Bad input gets a clear 4xx with the right error code, and changes nothing: the audit chain
// (which every write extends) has the same length afterwards.
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

struct bad_case {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
  std::string token;
  unsigned status;
  std::string code;
};

std::string with(json::object o, std::string_view key, json::value v) {
  o[key] = std::move(v);
  return json::serialize(o);
}
std::string without(json::object o, std::string_view key) {
  o.erase(key);
  return json::serialize(o);
}

}  // namespace

TEST_CASE("bad input is a 4xx naming the problem, and nothing is written", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto lots = std::string("/api/v1/lots");
  const auto held = "/api/v1/lots/" + std::to_string(x.held);
  const auto intake = intake_body();
  const json::object imported{{"product", "智利车厘子"}, {"category", "imported_fruit"},
                              {"origin", "CL"},          {"net_weight_g", 1000},
                              {"packages", 1},           {"consignor", "鲜丰"},
                              {"vehicle", "沪A·1"}};
  const json::object unit{{"credit_code", storage::with_check_character("91310000MA1H99999")},
                          {"name", "新店"},
                          {"kind", "seller"},
                          {"region", "上海市"}};
  const json::object dispatch{{"code", x.at_s}, {"consignee", x.s2}, {"quantity_g", 10}};
  auto forged = x.url_at_s;
  forged.back() = forged.back() == '1' ? '2' : '1';
  const auto& wh = x.wh.token;
  const auto& op = x.op.token;
  const auto& admin = f.admin.token;

  const std::vector<bad_case> cases{
      // the JSON itself
      {"not JSON", "POST", lots, "{\"product\": ", wh, 400, "malformed_json"},
      {"empty body", "POST", lots, "", wh, 400, "malformed_json"},
      {"text after the JSON", "POST", lots, json::serialize(intake) + " x", wh, 400,
       "malformed_json"},
      {"an array", "POST", lots, "[1, 2]", wh, 400, "not_an_object"},
      {"a string", "POST", lots, "\"lot\"", wh, 400, "not_an_object"},
      // fields
      {"missing field", "POST", lots, without(intake, "vehicle"), wh, 400, "missing_field"},
      {"unknown field (mass assignment)", "POST", lots, with(intake, "status", "released"), wh, 400,
       "unknown_field"},
      {"unknown field: warehouse", "POST", lots, with(intake, "warehouse", x.w2), wh, 400,
       "unknown_field"},
      {"weight as a string", "POST", lots, with(intake, "net_weight_g", "1000"), wh, 400,
       "wrong_type"},
      {"weight fractional", "POST", lots, with(intake, "net_weight_g", 1.5), wh, 400, "wrong_type"},
      {"weight null", "POST", lots, with(intake, "net_weight_g", nullptr), wh, 400, "wrong_type"},
      {"weight negative", "POST", lots, with(intake, "net_weight_g", -1000), wh, 400,
       "invalid_input"},
      {"weight zero", "POST", lots, with(intake, "net_weight_g", 0), wh, 400, "invalid_input"},
      {"weight above a million tonnes", "POST", lots,
       with(intake, "net_weight_g", 1'000'000'000'001), wh, 400, "invalid_input"},
      {"weight beyond int64", "POST", lots,
       with(intake, "net_weight_g", 18'000'000'000'000'000'000u), wh, 400, "wrong_type"},
      {"weight 1e300", "POST", lots, with(intake, "net_weight_g", 1e300), wh, 400, "wrong_type"},
      {"unknown category", "POST", lots, with(intake, "category", "frozen"), wh, 400,
       "invalid_input"},
      {"unknown country", "POST", lots, with(intake, "origin", "XX"), wh, 400, "invalid_input"},
      {"empty product", "POST", lots, with(intake, "product", ""), wh, 400, "invalid_input"},
      {"import without documents", "POST", lots, json::serialize(imported), wh, 422,
       "documents_missing"},
      {"customs number of 17 digits", "POST", lots,
       [&] {
         auto o = imported;
         o["quarantine_certificate"] = "310000124000321";
         return with(o, "customs_number", "22012024100012345");
       }(),
       wh, 400, "invalid_input"},
      // units
      {"credit code with a wrong check character", "POST", "/api/v1/units",
       with(unit, "credit_code", "91310000MA1H99999X"), admin, 400, "invalid_input"},
      {"credit code of 17 characters", "POST", "/api/v1/units",
       with(unit, "credit_code", "91310000MA1H9999"), admin, 400, "invalid_input"},
      {"credit code with an I", "POST", "/api/v1/units",
       with(unit, "credit_code", "91310000MA1HI9999A"), admin, 400, "invalid_input"},
      {"unknown unit kind", "POST", "/api/v1/units", with(unit, "kind", "shop"), admin, 400,
       "bad_value"},
      {"unknown role", "POST", "/api/v1/accounts",
       json::serialize(json::object{{"unit", x.s}, {"role", "root"}, {"name", "x"}}), admin, 400,
       "bad_value"},
      {"an inspector at a shop", "POST", "/api/v1/accounts",
       json::serialize(json::object{{"unit", x.s}, {"role", "inspector"}, {"name", "x"}}), admin,
       400, "invalid_input"},
      // samples, times
      {"unknown sample type", "POST", held + "/samples",
       R"({"type": "floor", "collector": "张伟"})", wh, 400, "bad_value"},
      {"a time that is no time", "POST", held + "/samples",
       R"({"type": "environment", "collector": "张伟", "collected_at": "2024-13-01T00:00:00Z"})",
       wh, 400, "bad_value"},
      {"a time without its zone", "POST", held + "/samples",
       R"({"type": "environment", "collector": "张伟", "collected_at": "2024-03-01T08:00:00"})", wh,
       400, "bad_value"},
      {"a time in the future", "POST", held + "/samples",
       R"({"type": "environment", "collector": "张伟", "collected_at": "2999-01-01T00:00:00Z"})",
       wh, 400, "invalid_input"},
      {"a sample before intake", "POST", held + "/samples",
       R"({"type": "environment", "collector": "张伟", "collected_at": "2001-01-01T00:00:00+08:00"})",
       wh, 400, "invalid_input"},
      {"a lot id that is no number", "POST", "/api/v1/lots/abc/samples",
       R"({"type": "environment", "collector": "张伟"})", wh, 404, "not_found"},
      {"lot 0", "POST", "/api/v1/lots/0/samples", R"({"type": "environment", "collector": "张伟"})",
       wh, 404, "not_found"},
      {"a lot that does not exist", "POST", "/api/v1/lots/999999/samples",
       R"({"type": "environment", "collector": "张伟"})", wh, 404, "not_found"},
      {"release with a body", "POST", held + "/release", R"({"force": true})", wh, 400,
       "unknown_field"},
      {"release before the rules hold", "POST", held + "/release", "", wh, 409, "results_pending"},
      // quantities and codes
      {"dispatch zero", "POST", "/api/v1/dispatch", with(dispatch, "quantity_g", 0), op, 400,
       "invalid_input"},
      {"dispatch negative", "POST", "/api/v1/dispatch", with(dispatch, "quantity_g", -5), op, 400,
       "invalid_input"},
      {"dispatch more than held", "POST", "/api/v1/dispatch",
       with(dispatch, "quantity_g", 9'000'000'000'000'000'000), op, 409, "insufficient_quantity"},
      {"dispatch to oneself", "POST", "/api/v1/dispatch", with(dispatch, "consignee", x.s), op, 400,
       "invalid_input"},
      {"dispatch to a unit that does not exist", "POST", "/api/v1/dispatch",
       with(dispatch, "consignee", 999999), op, 404, "not_found"},
      {"dispatch a forged code", "POST", "/api/v1/dispatch",
       with(dispatch, "code", json::string(forged)), op, 400, "bad_signature"},
      {"dispatch a code that is no code", "POST", "/api/v1/dispatch",
       with(dispatch, "code", "hello"), op, 400, "bad_url"},
      {"dispatch code 0", "POST", "/api/v1/dispatch", with(dispatch, "code", 0), op, 400,
       "bad_value"},
      {"dispatch code as true", "POST", "/api/v1/dispatch", with(dispatch, "code", true), op, 400,
       "wrong_type"},
      {"receive a forged code", "POST", "/api/v1/receive",
       json::serialize(json::object{{"code", forged}}), op, 400, "bad_signature"},
      {"receive twice", "POST", "/api/v1/receive", json::serialize(json::object{{"code", x.at_s}}),
       op, 409, "already_received"},
      {"sell zero", "POST", "/api/v1/sale-checks",
       json::serialize(json::object{{"code", x.url_at_s}, {"quantity_g", 0}}), op, 400,
       "invalid_input"},
      {"sell more than held", "POST", "/api/v1/sale-checks",
       json::serialize(json::object{{"code", x.url_at_s}, {"quantity_g", 10'000'000}}), op, 409,
       "insufficient_quantity"},
      {"inspection codes that are numbers", "POST", "/api/v1/inspections",
       json::serialize(json::object{{"unit", x.s}, {"codes", {1, 2}}}), x.inspector.token, 400,
       "wrong_type"},
      {"inspection with negative uncoded items", "POST", "/api/v1/inspections",
       json::serialize(
           json::object{{"unit", x.s}, {"codes", json::array{}}, {"uncoded_items", -1}}),
       x.inspector.token, 400, "invalid_input"},
      {"recall without a reason", "POST", "/api/v1/recalls",
       json::serialize(json::object{{"lot", x.rel}, {"reason", ""}}), admin, 400, "invalid_input"},
      // query parameters
      {"limit 0", "GET", "/api/v1/lots?limit=0", "", wh, 400, "bad_value"},
      {"limit 100000", "GET", "/api/v1/lots?limit=100000", "", wh, 400, "bad_value"},
      {"after -1", "GET", "/api/v1/events?after=-1", "", admin, 400, "bad_value"},
      {"status unknown", "GET", "/api/v1/lots?status=sold", "", wh, 400, "bad_value"},
      {"stats on 30 February", "GET", "/api/v1/stats?from=2024-02-30", "", admin, 400, "bad_value"},
      {"stats backwards", "GET", "/api/v1/stats?from=2024-03-02&to=2024-03-01", "", admin, 400,
       "bad_value"},
      {"report backwards", "GET", "/api/v1/report.xlsx?from=2024-07-01&to=2024-06-30", "", admin,
       400, "bad_value"},
      {"report on a day that is no date", "GET", "/api/v1/report.xlsx?from=2024-13-01", "", admin,
       400, "bad_value"},
      {"report in a language we lack", "GET", "/api/v1/report.xlsx?lang=fr", "", admin, 400,
       "bad_value"},
      {"report with an unknown parameter", "GET", "/api/v1/report.xlsx?unit=1", "", admin, 400,
       "bad_value"},
      {"trace of nothing", "GET", "/api/v1/trace", "", admin, 400, "bad_value"},
      {"trace of two things", "GET", "/api/v1/trace?lot=1&code_id=1", "", admin, 400, "bad_value"},
      {"trace of a forged code", "GET", "/api/v1/trace?code=" + forged, "", admin, 400,
       "bad_signature"},
      {"label of 0 px", "GET", "/api/v1/codes/" + std::to_string(x.at_s) + "/label.png?px=0", "",
       wh, 400, "bad_value"},
      {"label of a code that does not exist", "GET", "/api/v1/codes/999999/label.svg", "", wh, 404,
       "not_found"},
      // Found by fuzz_api: echoed bytes that are not UTF-8 made the error body invalid JSON.
      {"a path id that is not UTF-8", "GET", "/api/v1/lots/1%DD", "", wh, 404, "not_found"},
      {"a status that is not UTF-8", "GET", "/api/v1/lots?status=%FF", "", wh, 400, "bad_value"},
      {"a code URL with a host that is not ASCII", "POST", "/api/v1/receive",
       R"({"code": "https://é.example/c/123"})", op, 400, "bad_url"},
      // credentials
      {"no token", "POST", lots, json::serialize(intake), "", 401, "unauthorized"},
      {"a token that is not ours", "POST", lots, json::serialize(intake),
       "ct_" + std::string(43, 'A'), 401, "unauthenticated"},
      {"a token of another shape", "POST", lots, json::serialize(intake), "secret", 401,
       "unauthenticated"},
      // methods
      {"DELETE a lot", "DELETE", held, "", wh, 405, "method_not_allowed"},
  };

  const auto before = f.audit_events();
  for (const auto& c : cases) {
    auto r = f.call(c.method, c.target, c.body, c.token);
    INFO(c.name << ": " << c.method << " " << c.target << " → " << r.status << " " << r.body);
    CHECK(r.status == c.status);
    CHECK(r.error_code() == c.code);
    const auto& message = r.json.as_object().at("error").as_object().at("message").as_string();
    CHECK(message.size() > 10);  // a sentence, not a code
  }
  CHECK(f.audit_events() == before);
}

TEST_CASE("an Authorization header that is not a bearer token is refused", "[server][api]") {
  api_fixture f;
  for (const char* header : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer"}) {
    client c(f.port());
    auto r = c.request("GET", "/api/v1/me", {}, {{"Authorization", header}});
    INFO(header);
    CHECK(r.status == 401);
  }
  // The scheme is case-insensitive; the token is not.
  client c(f.port());
  CHECK(c.request("GET", "/api/v1/me", {}, {{"Authorization", "bEaReR " + f.admin.token}}).status ==
        200);
}

TEST_CASE("an oversized body is refused before any handler runs", "[server][api]") {
  api_fixture f;
  const auto before = f.audit_events();
  auto r = f.call("POST", "/api/v1/lots", std::string(2 << 20, ' '), f.admin.token);
  CHECK(r.status == 413);
  CHECK(f.audit_events() == before);
}

TEST_CASE("a JSON object with a key twice is refused, naming the key", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto before = f.audit_events();
  const auto lots_before = f.get("/api/v1/lots", x.wh.token).at("lots").as_array().size();
  auto intake = json::serialize(intake_body());
  SECTION("at the top level: which of two weights would be stored is no question to leave open") {
    intake.insert(1, R"("net_weight_g": 1, )");
    auto r = f.call("POST", "/api/v1/lots?lang=en", intake, x.wh.token);
    CHECK(r.status == 400);
    CHECK(r.error_code() == "duplicate_key");
    CHECK_THAT(r.body, Catch::Contains("net_weight_g"));
  }
  SECTION("the same name spelled with an escape") {
    auto r = f.call("POST", "/api/v1/dispatch?lang=en",
                    R"({"code": )" + std::to_string(x.at_s) + R"(, "consignee": )" +
                        std::to_string(x.s2) + R"(, "quantity_g": 10, "quantity\u005fg": 20})",
                    x.op.token);
    CHECK(r.status == 400);
    CHECK(r.error_code() == "duplicate_key");
    CHECK_THAT(r.body, Catch::Contains("quantity_g"));
  }
  SECTION("in an empty action body") {
    auto r = f.call("POST", "/api/v1/lots/" + std::to_string(x.ready) + "/release",
                    R"({"a": 1, "a": 1})", x.wh.token);
    CHECK(r.status == 400);
    CHECK(r.error_code() == "duplicate_key");
  }
  CHECK(f.audit_events() == before);
  CHECK(f.get("/api/v1/lots", x.wh.token).at("lots").as_array().size() == lots_before);
  // The same key in two different objects is no duplicate.
  auto nested = f.call("POST", "/api/v1/inspections",
                       json::serialize(json::object{{"unit", x.s}, {"codes", json::array{}}}),
                       x.inspector.token);
  CHECK(nested.status == 201);
}

TEST_CASE("a body must be declared application/json", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto before = f.audit_events();
  const auto body = json::serialize(intake_body());
  SECTION("refused: 415, and nothing written") {
    for (const fields& headers :
         std::vector<fields>{{},
                             {{"Content-Type", "text/plain"}},
                             {{"Content-Type", "application/x-www-form-urlencoded"}},
                             {{"Content-Type", "application/jsonx"}},
                             {{"Content-Type", "multipart/form-data; boundary=x"}}}) {
      auto r = f.call_with("POST", "/api/v1/lots", body, x.wh.token, headers);
      INFO((headers.empty() ? "(none)" : headers[0].second) << " → " << r.body);
      CHECK(r.status == 415);
      CHECK(r.error_code() == "unsupported_media_type");
      CHECK_THAT(r.body, Catch::Contains("application/json"));
    }
    auto async = f.call_with("POST", "/api/v1/sale-checks",
                             json::serialize(json::object{{"code", x.url_at_s}}), x.op.token,
                             {{"Content-Type", "text/plain"}});
    CHECK(async.status == 415);
    CHECK(f.audit_events() == before);
  }
  SECTION("accepted: parameters and any case") {
    for (const char* type : {"application/json; charset=utf-8", "Application/JSON",
                             " application/json ;charset=UTF-8"}) {
      auto r = f.call_with("POST", "/api/v1/lots", body, x.wh.token, {{"Content-Type", type}});
      INFO(type << " → " << r.body);
      CHECK(r.status == 201);
    }
  }
  SECTION("an action without a body needs no type") {
    auto r = f.call_with("POST", "/api/v1/lots/" + std::to_string(x.ready) + "/release", "",
                         x.wh.token, {});
    CHECK(r.status == 200);
  }
}

TEST_CASE("names shown on pages refuse invisible and direction-changing characters",
          "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto before = f.audit_events();
  const json::object unit{{"credit_code", storage::with_check_character("91310000MA1H99998")},
                          {"name", "新店"},
                          {"kind", "seller"},
                          {"region", "上海市"}};
  struct hidden_case {
    std::string name;
    std::string target;
    std::string key;
    std::string value;
    std::string token;
    std::string field;  // as the message names it
  };
  const std::string lots = "/api/v1/lots";
  const std::vector<hidden_case> cases{
      {"right-to-left override in a unit name", "/api/v1/units", "name", "好\u202E店",
       f.admin.token, "the unit's name"},
      {"right-to-left isolate in a unit name", "/api/v1/units", "name", "\u2067店", f.admin.token,
       "the unit's name"},
      {"zero-width space in a product name", lots, "product", "冻\u200B猪肉", x.wh.token,
       "the product name"},
      {"byte order mark in a product name", lots, "product", "\uFEFF冻猪肉", x.wh.token,
       "the product name"},
      {"left-to-right mark in a consignor", lots, "consignor", "屠宰\u200E场", x.wh.token,
       "the consignor"},
      {"Arabic letter mark in a consignor", lots, "consignor", "a\u061Cb", x.wh.token,
       "the consignor"},
      {"word joiner in a vehicle", lots, "vehicle", "沪A\u2060·1", x.wh.token, "the vehicle plate"},
      {"a C1 control in a product name", lots, "product", "冻\u0085猪肉", x.wh.token,
       "the product name"},
      {"a newline in a product name", lots, "product", "冻\n猪肉", x.wh.token, "the product name"},
      {"a tab in a unit name", "/api/v1/units", "name", "新\t店", f.admin.token, "the unit's name"},
  };
  for (const auto& c : cases) {
    auto body = c.target == lots ? intake_body() : unit;
    body[c.key] = c.value;
    auto r = f.post(c.target + "?lang=en", body, c.token);  // the field as English names it
    INFO(c.name << " → " << r.body);
    CHECK(r.status == 400);
    CHECK(r.error_code() == "invalid_input");
    CHECK_THAT(r.body, Catch::Contains(c.field));
  }
  CHECK(f.audit_events() == before);
  // A note may span lines; it still may not hide characters.
  auto note = [&](std::string text) {
    return f.post("/api/v1/inspections?lang=en",
                  json::object{{"unit", x.s}, {"codes", json::array{}}, {"note", text}},
                  x.inspector.token);
  };
  CHECK(note("第一行\n第二行").status == 201);
  auto hidden = note("第一行\u202E第二行");
  CHECK(hidden.status == 400);
  CHECK_THAT(hidden.body, Catch::Contains("the note"));
}
