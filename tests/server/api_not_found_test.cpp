// Another unit's record and a record that does not exist answer alike: the same status, the
// same error code and the same message but for the id, so a caller cannot probe ids to learn
// what other units hold (issue 9 §5).
#include "tests/server/api_world.hpp"

#include <functional>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

constexpr std::int64_t missing = 987'654;

struct probe {
  std::string name;
  std::string method;
  std::function<std::string(std::int64_t)> target;
  std::function<std::string(std::int64_t)> body;  // empty: no body
  std::int64_t theirs;                            // another unit's record
  const caller* as;
};

std::string path(std::string_view prefix, std::int64_t id, std::string_view suffix = "") {
  return std::string(prefix) + std::to_string(id) + std::string(suffix);
}

// The message with the id written as "N", so the two answers can be compared whole.
std::string without_id(std::string message, std::int64_t id) {
  const auto digits = std::to_string(id);
  for (auto at = message.find(digits); at != std::string::npos; at = message.find(digits, at))
    message.replace(at, digits.size(), "N");
  return message;
}

}  // namespace

TEST_CASE("another unit's record answers exactly as a missing one", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto none = [](std::int64_t) { return std::string(); };
  const auto code_body = [](std::int64_t id) {
    return json::serialize(json::object{{"code", id}});
  };
  const std::vector<probe> probes{
      {"a lot", "GET", [](auto id) { return path("/api/v1/lots/", id); }, none, x.held2, &x.wh},
      {"a sample for a lot", "POST", [](auto id) { return path("/api/v1/lots/", id, "/samples"); },
       [](auto) { return R"({"type":"environment","collector":"李四"})"; }, x.held2, &x.wh},
      {"a result for a sample", "POST",
       [](auto id) { return path("/api/v1/samples/", id, "/result"); },
       [](auto) { return R"({"outcome":"negative","lab":"疾控","report_number":"R-9"})"; },
       x.sample2, &x.wh},
      {"a disinfection", "POST",
       [](auto id) { return path("/api/v1/lots/", id, "/disinfections"); },
       [](auto) { return R"({"agent":"含氯消毒剂","operator":"李四","certificate":"XD-2"})"; },
       x.held2, &x.wh},
      {"a release", "POST", [](auto id) { return path("/api/v1/lots/", id, "/release"); }, none,
       x.ready2, &x.wh},
      {"a code", "GET", [](auto id) { return path("/api/v1/codes/", id); }, none, x.at_s2, &x.op},
      {"a dispatch", "POST", [](auto) { return std::string("/api/v1/dispatch"); },
       [&x](auto id) {
         return json::serialize(json::object{{"code", id}, {"consignee", x.s}, {"quantity_g", 10}});
       },
       x.root2, &x.wh},
      {"a receipt", "POST", [](auto) { return std::string("/api/v1/receive"); }, code_body,
       x.pending_w2, &x.wh},
      {"a lot's trace", "GET", [](auto id) { return path("/api/v1/trace?lot=", id); }, none, x.rel2,
       &x.wh},
      {"a code's trace", "GET", [](auto id) { return path("/api/v1/trace?code_id=", id); }, none,
       x.at_s2, &x.op},
      {"a unit's accounts", "GET", [](auto id) { return path("/api/v1/units/", id, "/accounts"); },
       none, x.s2, &x.op},
      {"a unit's inspections", "GET", [](auto id) { return path("/api/v1/inspections?unit=", id); },
       none, x.s2, &x.op},
      {"another account's token rotation", "POST",
       [](auto id) { return path("/api/v1/accounts/", id, "/rotate"); }, none, x.op2.who.account,
       &x.op},
      {"another account's token revocation", "POST",
       [](auto id) { return path("/api/v1/accounts/", id, "/revoke"); }, none, x.op2.who.account,
       &x.op},
  };
  for (const auto& p : probes) {
    SECTION(p.name) {
      const auto events = f.audit_events();
      auto theirs = f.call(p.method, p.target(p.theirs), p.body(p.theirs), p.as->token);
      auto absent = f.call(p.method, p.target(missing), p.body(missing), p.as->token);
      INFO(p.name << ": " << theirs.body << " / " << absent.body);
      CHECK(theirs.status == 404);
      CHECK(theirs.status == absent.status);
      CHECK(theirs.error_code() == absent.error_code());
      REQUIRE(theirs.json.is_object());
      REQUIRE(absent.json.is_object());
      const auto said = [](const api_reply& r, std::int64_t id) {
        return without_id(std::string(r.json.at("error").at("message").as_string()), id);
      };
      CHECK(said(theirs, p.theirs) == said(absent, missing));
      CHECK(f.audit_events() == events);
    }
  }
}
