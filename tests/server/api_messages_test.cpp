// Error messages in the language of the request (issue 15 §1): Chinese by default, English with
// ?lang=en or Accept-Language: en, the same code and status in both.
#include "server/messages.hpp"
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

struct message_case {
  std::string name;
  std::string method, target;
  std::string body;  // empty: none
  std::string token;
  std::string code;
  std::string zh, en;  // a part of each message
};

std::string message_of(const api_reply& r) {
  return std::string(r.json.at("error").at("message").as_string());
}

// A run of four Latin letters outside “quotes” (where a field's JSON name may stand).
bool has_latin_word(const std::string& s) {
  int run = 0;
  std::string bare = s;
  for (auto open = bare.find("“"); open != std::string::npos; open = bare.find("“")) {
    const auto close = bare.find("”", open);
    if (close == std::string::npos) break;
    bare.erase(open, close + std::string("”").size() - open);
  }
  for (char c : bare) {
    run = (c >= 'a' && c <= 'z') ? run + 1 : 0;
    if (run >= 4) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("errors speak Chinese by default and English on request", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  // A lot just taken in: no sample, not released.
  const auto fresh = f.post("/api/v1/lots", intake_body(), x.wh.token);
  REQUIRE(fresh.status == 201);
  const auto lot = std::to_string(fresh.at("lot").at("id").to_number<std::int64_t>());
  const auto root = std::to_string(fresh.at("code").at("id").to_number<std::int64_t>());
  auto intake_with = [](std::string_view key, json::value v) {
    auto b = intake_body();
    if (v.is_null())
      b.erase(key);
    else
      b[key] = v;
    return json::serialize(b);
  };
  auto imported = intake_body();
  imported["category"] = "imported_fruit";
  imported["origin"] = "ZA";

  const std::vector<message_case> cases{
      {"release without a sample", "POST", "/api/v1/lots/" + lot + "/release", "{}", x.wh.token,
       "no_samples", "批次 " + lot + " 还没有样品", "has no sample"},
      {"release with a result pending", "POST",
       "/api/v1/lots/" + std::to_string(x.held) + "/release", "{}", x.wh.token, "results_pending",
       "个没有检测结果", "have no result yet"},
      {"dispatch from a lot not released", "POST", "/api/v1/dispatch",
       json::serialize(
           json::object{{"code", std::stoll(root)}, {"consignee", x.s}, {"quantity_g", 1}}),
       x.wh.token, "not_released", "码 " + root + "：所属批次尚未放行",
       "its lot has not been released"},
      {"dispatch more than held", "POST", "/api/v1/dispatch",
       json::serialize(
           json::object{{"code", x.at_s}, {"consignee", x.s2}, {"quantity_g", 1'000'000'000}}),
       x.op.token, "insufficient_quantity", "不能发出 1000000000 克", "cannot dispatch"},
      {"intake without a vehicle", "POST", "/api/v1/lots", intake_with("vehicle", ""), x.wh.token,
       "invalid_input", "请填写车牌号或集装箱号", "vehicle plate or container number is required"},
      {"intake of an import without customs", "POST", "/api/v1/lots", json::serialize(imported),
       x.wh.token, "documents_missing", "进口食品（进口水果）须填写报关单号",
       "needs its customs declaration number"},
      {"intake with an unknown origin", "POST", "/api/v1/lots", intake_with("origin", "XX"),
       x.wh.token, "invalid_input", "原产国“XX”不是", "XX"},
      {"a body without a field", "POST", "/api/v1/lots", intake_with("product", nullptr),
       x.wh.token, "missing_field", "缺少字段“product”", "missing field"},
      {"a lot that does not exist", "GET", "/api/v1/lots/999999", "", x.wh.token, "not_found",
       "批次 999999 不存在", "was not found"},
      {"a role that may not", "POST", "/api/v1/lots", json::serialize(intake_body()), x.op.token,
       "forbidden", "经营单位账户不能执行此操作", "may not take lots in"},
      {"no token", "GET", "/api/v1/lots", "", "", "unauthorized", "需要有效的访问令牌", "token"},
      {"a report period backwards", "GET", "/api/v1/report.xlsx?from=2024-07-01&to=2024-06-30", "",
       x.admin.token, "bad_value", "开始日期“from”不能晚于结束日期“to”", "must not be later than"},
      {"a report from a day that is no date", "GET", "/api/v1/report.xlsx?from=2024-02-30", "",
       x.admin.token, "bad_value", "“from”不是有效日期", "not a real calendar date"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const auto before = f.audit_events();
      const auto zh = f.call(c.method, c.target, c.body, c.token);
      CHECK(zh.error_code() == c.code);
      CHECK_THAT(message_of(zh), Catch::Contains(c.zh));
      CHECK_FALSE(has_latin_word(message_of(zh)));
      const auto sep = c.target.find('?') == std::string::npos ? "?" : "&";
      const auto en = f.call(c.method, c.target + sep + "lang=en", c.body, c.token);
      CHECK(en.status == zh.status);
      CHECK(en.error_code() == c.code);
      CHECK_THAT(message_of(en), Catch::Contains(c.en));
      fields accept{{"Accept-Language", "en-US,en;q=0.9"}};
      if (!c.body.empty()) accept.emplace_back("Content-Type", "application/json");
      const auto by_header = f.call_with(c.method, c.target, c.body, c.token, accept);
      CHECK(message_of(by_header) == message_of(en));
      CHECK(f.audit_events() == before);
    }
  }
}

TEST_CASE("an error with a detail names it in the body, for clients that act on it",
          "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto r =
      f.call("POST", "/api/v1/lots/" + std::to_string(x.held) + "/release", "{}", x.wh.token);
  CHECK(r.at("error").at("detail") == "release.results_pending");
  CHECK(server::has_message("release.results_pending"));
}
