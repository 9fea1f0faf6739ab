// The authorization matrix: every endpoint × every role × the caller's own unit or another
// unit → the expected status. The table states the policy; the cases are generated from it,
// each against a fresh world, so no case depends on what another one did.
#include "tests/server/api_world.hpp"

#include <functional>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

enum class role { anonymous, admin, inspector, warehouse, operator_ };
constexpr role roles[] = {role::anonymous, role::admin, role::inspector, role::warehouse,
                          role::operator_};

std::string_view name_of(role r) {
  switch (r) {
    case role::anonymous: return "anonymous";
    case role::admin: return "admin";
    case role::inspector: return "inspector";
    case role::warehouse: return "warehouse";
    case role::operator_: return "operator";
  }
  return "?";
}

// Who asks, about which side: `own` is the caller's side of the world (w, s), otherwise the
// other unit's (w2, s2). Admins and inspectors have no side; for them "own" is w/s too.
struct ask {
  const world& x;
  role r;
  bool own;
  template <class T>
  T pick(T mine, T theirs) const {
    return own ? mine : theirs;
  }
  const caller& me() const {
    switch (r) {
      case role::admin: return x.admin;
      case role::inspector: return x.inspector;
      case role::warehouse: return x.wh;
      default: return x.op;
    }
  }
  std::string id(std::int64_t v) const { return std::to_string(v); }
};

// Expected statuses: anonymous, then (own, other) for admin, inspector, warehouse, operator.
struct expect {
  unsigned anonymous, admin, admin_other, inspector, inspector_other, wh, wh_other, op, op_other;
  unsigned of(role r, bool own) const {
    switch (r) {
      case role::anonymous: return anonymous;
      case role::admin: return own ? admin : admin_other;
      case role::inspector: return own ? inspector : inspector_other;
      case role::warehouse: return own ? wh : wh_other;
      case role::operator_: return own ? op : op_other;
    }
    return 0;
  }
};

// Shorthands for the common rows.
constexpr expect everyone(unsigned s) {
  return {401, s, s, s, s, s, s, s, s};
}
constexpr expect only_admin(unsigned s) {
  return {401, s, s, 403, 403, 403, 403, 403, 403};
}
constexpr expect regulators(unsigned s) {
  return {401, s, s, s, s, 403, 403, 403, 403};
}

struct endpoint {
  std::string_view method;
  std::string_view pattern;  // for the report
  std::function<std::string(const ask&)> target;
  std::function<json::value(const ask&)> body;  // empty: no body
  expect status;
  std::function<std::string(const ask&)> file = {};  // a body that is not JSON (an import)
};

int fresh_units = 0;

std::string fresh_credit_code() {
  const auto n = std::to_string(++fresh_units);
  const auto first17 = "9231000" + std::string(10 - n.size(), '0') + n;
  return storage::with_check_character(first17);
}

const std::vector<endpoint>& endpoints() {
  using A = const ask&;
  static const std::vector<endpoint> table{
      // public (labels are not: issue 9 §2)
      {"GET",
       "/api/v1/verify",
       [](A a) { return "/api/v1/verify?code=" + a.pick(a.x.url_at_s, a.x.url_at_s2); },
       {},
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"GET",
       "/api/v1/keys",
       [](A) { return "/api/v1/keys"; },
       {},
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"GET",
       "/.well-known/jwks.json",
       [](A) { return "/.well-known/jwks.json"; },
       {},
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"GET",
       "/api/v1/blocked",
       [](A) { return "/api/v1/blocked"; },
       {},
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      {"GET",
       "/api/v1/codes/{id}/label.svg",
       [](A a) { return "/api/v1/codes/" + a.id(a.pick(a.x.at_s, a.x.at_s2)) + "/label.svg"; },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/codes/{id}/label.png",
       [](A a) { return "/api/v1/codes/" + a.id(a.pick(a.x.at_s, a.x.at_s2)) + "/label.png"; },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/codes/{id}/label.pdf",
       [](A a) { return "/api/v1/codes/" + a.id(a.pick(a.x.at_s, a.x.at_s2)) + "/label.pdf"; },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/codes/{id}/label.zpl",
       [](A a) { return "/api/v1/codes/" + a.id(a.pick(a.x.at_s, a.x.at_s2)) + "/label.zpl"; },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/labels.pdf",
       [](A a) { return "/api/v1/labels.pdf?codes=" + a.id(a.pick(a.x.at_s, a.x.at_s2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/labels.zpl",
       [](A a) { return "/api/v1/labels.zpl?codes=" + a.id(a.pick(a.x.at_s, a.x.at_s2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      // accounts and units
      {"GET", "/api/v1/me", [](A) { return "/api/v1/me"; }, {}, everyone(200)},
      {"POST", "/api/v1/units", [](A) { return "/api/v1/units"; },
       [](A) -> json::value {
         return {{"credit_code", fresh_credit_code()},
                 {"name", "新开超市"},
                 {"kind", "seller"},
                 {"region", "上海市"}};
       },
       only_admin(201)},
      {"GET", "/api/v1/units", [](A) { return "/api/v1/units"; }, {}, everyone(200)},
      {"GET",
       "/api/v1/units/{id}",
       [](A a) { return "/api/v1/units/" + a.id(a.pick(a.x.s, a.x.s2)); },
       {},
       everyone(200)},
      {"GET",
       "/api/v1/units/{id}/accounts",
       [](A a) { return "/api/v1/units/" + a.id(a.pick(a.me().who.unit, a.x.s2)) + "/accounts"; },
       {},
       {401, 200, 200, 200, 404, 200, 404, 200, 404}},
      {"POST", "/api/v1/accounts", [](A) { return "/api/v1/accounts"; },
       [](A a) -> json::value {
         return {{"unit", a.x.s}, {"role", "operator"}, {"name", "新店员"}};
       },
       only_admin(201)},
      // Another account, even of one's own unit, answers 404 as a missing one would: tokens
      // are personal, and account ids are not to be probed.
      {"POST",
       "/api/v1/accounts/{id}/rotate",
       [](A a) {
         return "/api/v1/accounts/" + a.id(a.pick(a.me().who.account, a.x.op2.who.account)) +
                "/rotate";
       },
       {},
       {401, 200, 200, 200, 404, 200, 404, 200, 404}},
      {"POST",
       "/api/v1/accounts/{id}/revoke",
       [](A a) {
         return "/api/v1/accounts/" + a.id(a.pick(a.me().who.account, a.x.op2.who.account)) +
                "/revoke";
       },
       {},
       {401, 200, 200, 200, 404, 200, 404, 200, 404}},
      // passwords and sessions: wrong credentials are 401 for everyone (sign-in takes no
      // token); a bearer token has no session to end (400)
      {"POST", "/api/v1/sessions", [](A) { return "/api/v1/sessions"; },
       [](A a) -> json::value {
         return {{"name", "nobody " + a.id(a.x.s)}, {"password", "not the password"}};
       },
       everyone(401)},
      {"DELETE",
       "/api/v1/sessions/current",
       [](A) { return "/api/v1/sessions/current"; },
       {},
       everyone(400)},
      {"PUT",
       "/api/v1/accounts/{id}/password",
       [](A a) {
         return "/api/v1/accounts/" + a.id(a.pick(a.me().who.account, a.x.op2.who.account)) +
                "/password";
       },
       [](A) -> json::value {
         return {{"password", "a long enough one"}};
       },
       {401, 200, 200, 200, 404, 200, 404, 200, 404}},
      {"DELETE",
       "/api/v1/accounts/{id}/sessions",
       [](A a) {
         return "/api/v1/accounts/" + a.id(a.pick(a.me().who.account, a.x.op2.who.account)) +
                "/sessions";
       },
       {},
       {401, 200, 200, 200, 404, 200, 404, 200, 404}},
      // the warehouse
      {"POST",
       "/api/v1/lots",
       [](A) { return "/api/v1/lots"; },
       [](A) -> json::value { return intake_body(); },
       {401, 403, 403, 403, 403, 201, 201, 403, 403}},
      {"GET", "/api/v1/lots", [](A) { return "/api/v1/lots"; }, {}, everyone(200)},
      // The other side is a held lot: w also holds a code of rel2 (pending_w), which shows it rel2.
      {"GET",
       "/api/v1/lots/{id}",
       [](A a) { return "/api/v1/lots/" + a.id(a.pick(a.x.rel, a.x.held2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"POST",
       "/api/v1/lots/{id}/samples",
       [](A a) { return "/api/v1/lots/" + a.id(a.pick(a.x.held, a.x.held2)) + "/samples"; },
       [](A) -> json::value {
         return {{"type", "environment"}, {"collector", "李四"}};
       },
       {401, 403, 403, 403, 403, 201, 404, 403, 403}},
      {"POST",
       "/api/v1/samples/{id}/result",
       [](A a) { return "/api/v1/samples/" + a.id(a.pick(a.x.sample, a.x.sample2)) + "/result"; },
       [](A) -> json::value {
         return {{"outcome", "negative"}, {"lab", "疾控"}, {"report_number", "R-9"}};
       },
       {401, 403, 403, 403, 403, 201, 404, 403, 403}},
      {"POST",
       "/api/v1/lots/{id}/disinfections",
       [](A a) { return "/api/v1/lots/" + a.id(a.pick(a.x.held, a.x.held2)) + "/disinfections"; },
       [](A) -> json::value {
         return {{"agent", "含氯消毒剂"}, {"operator", "李四"}, {"certificate", "XD-2"}};
       },
       {401, 403, 403, 403, 403, 201, 404, 403, 403}},
      {"POST",
       "/api/v1/lots/{id}/release",
       [](A a) { return "/api/v1/lots/" + a.id(a.pick(a.x.ready, a.x.ready2)) + "/release"; },
       {},
       {401, 403, 403, 403, 403, 200, 404, 403, 403}},
      // holders
      {"GET", "/api/v1/codes", [](A) { return "/api/v1/codes"; }, {}, everyone(200)},
      {"GET",
       "/api/v1/codes/{id}",
       [](A a) { return "/api/v1/codes/" + a.id(a.pick(a.x.at_s, a.x.at_s2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"POST",
       "/api/v1/dispatch",
       [](A) { return "/api/v1/dispatch"; },
       [](A a) -> json::value {
         if (a.r == role::operator_)
           return {{"code", a.pick(a.x.at_s, a.x.at_s2)},
                   {"consignee", a.pick(a.x.s2, a.x.s)},
                   {"quantity_g", 10}};
         return {{"code", a.pick(a.x.root, a.x.root2)}, {"consignee", a.x.s}, {"quantity_g", 10}};
       },
       {401, 403, 403, 403, 403, 201, 404, 201, 404}},
      {"POST",
       "/api/v1/receive",
       [](A) { return "/api/v1/receive"; },
       [](A a) -> json::value {
         if (a.r == role::operator_) return {{"code", a.pick(a.x.pending_s, a.x.pending_s2)}};
         return {{"code", a.pick(a.x.pending_w, a.x.pending_w2)}};
       },
       {401, 403, 403, 403, 403, 200, 404, 200, 404}},
      // A check of another unit's code is an answer (wrong_holder), not a refusal.
      {"POST",
       "/api/v1/sale-checks",
       [](A) { return "/api/v1/sale-checks"; },
       [](A a) -> json::value {
         return {{"code", a.pick(a.x.url_at_s, a.x.url_at_s2)}};
       },
       {401, 403, 403, 403, 403, 200, 200, 200, 200}},
      {"GET",
       "/api/v1/import/templates/{file}",
       [](A) { return "/api/v1/import/templates/receipts.xlsx"; },
       {},
       {200, 200, 200, 200, 200, 200, 200, 200, 200}},
      // As a batch: another unit's code is a row to fix in the report.
      {"POST",
       "/api/v1/import",
       [](A) { return "/api/v1/import"; },
       {},
       {401, 403, 403, 403, 403, 200, 200, 200, 200},
       [](A a) {
         const auto code = a.r == role::operator_ ? a.pick(a.x.pending_s, a.x.pending_s2)
                                                  : a.pick(a.x.pending_w, a.x.pending_w2);
         return "参考号,追溯码\r\nauthz-1," + std::to_string(code) + "\r\n";
       }},
      {"GET", "/api/v1/sales", [](A) { return "/api/v1/sales"; }, {}, everyone(200)},
      // The counter: the unit's own staff only (issue 10).
      {"GET",
       "/api/v1/units/{id}/stock",
       [](A a) { return "/api/v1/units/" + a.id(a.pick(a.me().who.unit, a.x.s2)) + "/stock"; },
       {},
       {401, 200, 200, 200, 200, 200, 403, 200, 403}},  // regulators: the expected stock
      {"GET",
       "/api/v1/units/{id}/today",
       [](A a) { return "/api/v1/units/" + a.id(a.pick(a.me().who.unit, a.x.s2)) + "/today"; },
       {},
       {401, 403, 403, 403, 403, 200, 403, 200, 403}},
      // Each line is refused or done on its own: another unit's code is a failed line.
      {"POST",
       "/api/v1/batch",
       [](A) { return "/api/v1/batch"; },
       [](A a) -> json::value {
         const auto code = a.r == role::operator_ ? a.pick(a.x.pending_s, a.x.pending_s2)
                                                  : a.pick(a.x.pending_w, a.x.pending_w2);
         return {{"lines", json::array{json::object{
                               {"ref", "authz-1"}, {"op", "receipt"}, {"code", code}}}}};
       },
       {401, 403, 403, 403, 403, 200, 200, 200, 200}},

      // the regulator
      {"POST", "/api/v1/recalls", [](A) { return "/api/v1/recalls"; },
       [](A a) -> json::value {
         return {{"lot", a.pick(a.x.rel, a.x.rel2)}, {"reason", "抽检阳性"}};
       },
       regulators(201)},
      {"POST", "/api/v1/recalls (a consignment)", [](A) { return "/api/v1/recalls"; },
       [](A a) -> json::value {
         return {{"code", a.pick(a.x.at_s, a.x.at_s2)}, {"reason", "抽检阳性"}};
       },
       regulators(201)},
      {"GET",
       "/api/v1/recall-proposals",
       [](A) { return "/api/v1/recall-proposals"; },
       {},
       regulators(200)},
      {"GET",
       "/api/v1/trace?lot=",
       [](A a) { return "/api/v1/trace?lot=" + a.id(a.pick(a.x.rel, a.x.rel2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 404, 404}},
      {"GET",
       "/api/v1/trace?code_id=",
       [](A a) { return "/api/v1/trace?code_id=" + a.id(a.pick(a.x.at_s, a.x.at_s2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"POST",
       "/api/v1/inspections",
       [](A) { return "/api/v1/inspections"; },
       [](A a) -> json::value {
         return {{"unit", a.pick(a.x.s, a.x.s2)}, {"codes", {a.x.url_at_s}}, {"uncoded_items", 0}};
       },
       {401, 403, 403, 201, 201, 403, 403, 403, 403}},
      {"POST",
       "/api/v1/inspections (at an unregistered vendor, with an item)",
       [](A) { return "/api/v1/inspections"; },
       [](A) -> json::value {
         return {{"vendor", {{"name", "流动摊贩"}, {"address", "菜场东门"}}},
                 {"findings",
                  {{{"product", "冻鸡翅"},
                    {"category", "domestic_frozen"},
                    {"weight_g", 2000},
                    {"action", "stop_selling"}}}}};
       },
       {401, 403, 403, 201, 201, 403, 403, 403, 403}},
      {"GET",
       "/api/v1/inspections?unit=",
       [](A a) { return "/api/v1/inspections?unit=" + a.id(a.pick(a.me().who.unit, a.x.s2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET", "/api/v1/stats", [](A) { return "/api/v1/stats"; }, {}, regulators(200)},
      {"GET", "/api/v1/report.xlsx", [](A) { return "/api/v1/report.xlsx"; }, {}, regulators(200)},
      {"GET", "/api/v1/events", [](A) { return "/api/v1/events"; }, {}, regulators(200)},
      {"GET", "/api/v1/feed", [](A) { return "/api/v1/feed?limit=5"; }, {}, regulators(200)},
      {"GET",
       "/api/v1/export/{kind}?unit=",
       [](A a) { return "/api/v1/export/codes?unit=" + a.id(a.pick(a.me().who.unit, a.x.s2)); },
       {},
       {401, 200, 200, 200, 200, 200, 403, 200, 403}},
      {"GET",
       "/api/v1/export/lot/{id}",
       [](A a) { return "/api/v1/export/lot/" + a.id(a.pick(a.x.rel, a.x.rel2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/epcis?lot=",
       [](A a) { return "/api/v1/epcis?lot=" + a.id(a.pick(a.x.rel, a.x.rel2)); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/epcis?unit=",
       [](A a) { return "/api/v1/epcis?unit=" + a.id(a.pick(a.me().who.unit, a.x.s2)); },
       {},
       {401, 200, 200, 200, 200, 200, 403, 200, 403}},
  };
  return table;
}

}  // namespace

TEST_CASE("authorization matrix: endpoint × role × own or other unit", "[server][api]") {
  api_fixture f;
  int cases = 0;
  for (const auto& e : endpoints()) {
    for (role r : roles) {
      for (bool own : {true, false}) {
        if (r == role::anonymous && !own) continue;  // anonymous has no side
        const world x = make_world(f);
        const ask a{x, r, own};
        const std::string token = r == role::anonymous ? std::string() : a.me().token;
        const std::string body = e.file   ? e.file(a)
                                 : e.body ? json::serialize(e.body(a))
                                          : std::string();
        auto reply = f.call(e.method, e.target(a), body, token);
        INFO(e.method << " " << e.pattern << " as " << name_of(r) << (own ? " (own)" : " (other)")
                      << " → " << reply.body.substr(0, 300));
        CHECK(reply.status == e.status.of(r, own));
        ++cases;
      }
    }
  }
  CHECK(cases == static_cast<int>(endpoints().size()) * 9);
}

namespace {

// The recall of the caller's side: its own unit's for a holder (w for warehouse staff, s for
// operators), the other side's otherwise; regulators' "own" is s's.
std::string recall_of(const ask& a) {
  const auto& x = a.x;
  if (a.r == role::warehouse) return a.id(a.pick(x.recall_w, x.recall_w2));
  return a.id(a.pick(x.recall_s, x.recall_s2));
}

// Rows whose world has recalls and a proposal in it (add_recalls), kept apart so that only
// they pay for making them.
const std::vector<endpoint>& recall_endpoints() {
  using A = const ask&;
  static const std::vector<endpoint> table{
      {"GET",
       "/api/v1/recalls?open=true",
       [](A) { return "/api/v1/recalls?open=true"; },
       {},
       everyone(200)},
      {"GET",
       "/api/v1/recalls/{id}",
       [](A a) { return "/api/v1/recalls/" + recall_of(a); },
       {},
       {401, 200, 200, 200, 200, 200, 404, 200, 404}},
      {"POST",
       "/api/v1/recalls/{id}/seen",
       [](A a) { return "/api/v1/recalls/" + recall_of(a) + "/seen"; },
       {},
       {401, 403, 403, 403, 403, 200, 404, 200, 404}},
      {"POST",
       "/api/v1/recalls/{id}/response",
       [](A a) { return "/api/v1/recalls/" + recall_of(a) + "/response"; },
       [](A) -> json::value {
         return {{"sealed_g", 1'000}, {"note", "已封存"}};
       },
       {401, 403, 403, 403, 403, 200, 404, 200, 404}},
      {"GET",
       "/api/v1/recalls/{id}/export",
       [](A a) { return "/api/v1/recalls/" + recall_of(a) + "/export?lang=en"; },
       {},
       regulators(200)},
      {"POST", "/api/v1/recalls (confirming a proposal)", [](A) { return "/api/v1/recalls"; },
       [](A a) -> json::value {
         return {{"proposal", a.x.proposal}, {"reason", "阳性，召回"}};
       },
       regulators(201)},
      {"POST", "/api/v1/recall-proposals/{id}/dismiss",
       [](A a) { return "/api/v1/recall-proposals/" + a.id(a.x.proposal) + "/dismiss"; },
       [](A) -> json::value {
         return {{"reason", "复检阴性"}};
       },
       regulators(200)},
  };
  return table;
}

}  // namespace

TEST_CASE("authorization matrix: recalls' follow-up", "[server][api][recall]") {
  api_fixture f;
  for (const auto& e : recall_endpoints()) {
    for (role r : roles) {
      for (bool own : {true, false}) {
        if (r == role::anonymous && !own) continue;
        world x = make_world(f);
        add_recalls(f, x);
        const ask a{x, r, own};
        const std::string token = r == role::anonymous ? std::string() : a.me().token;
        const std::string body = e.body ? json::serialize(e.body(a)) : std::string();
        auto reply = f.call(e.method, e.target(a), body, token);
        INFO(e.method << " " << e.pattern << " as " << name_of(r) << (own ? " (own)" : " (other)")
                      << " → " << reply.body.substr(0, 300));
        CHECK(reply.status == e.status.of(r, own));
      }
    }
  }
}

TEST_CASE("a revoked or rotated token stops working at once", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  REQUIRE(f.get("/api/v1/me", x.op.token).status == 200);
  auto rotated = f.call("POST", "/api/v1/accounts/" + std::to_string(x.op.who.account) + "/rotate",
                        "", x.op.token);
  REQUIRE(rotated.status == 200);
  CHECK(f.get("/api/v1/me", x.op.token).status == 401);
  const std::string fresh(rotated.at("token").as_string());
  CHECK(f.get("/api/v1/me", fresh).status == 200);
  REQUIRE(f.call("POST", "/api/v1/accounts/" + std::to_string(x.op.who.account) + "/revoke", "",
                 f.admin.token)
              .status == 200);
  auto refused = f.get("/api/v1/me", fresh);
  CHECK(refused.status == 401);
  CHECK(refused.error_code() == "unauthenticated");
}

namespace {

// A finding recorded by x.inspector at s (open, with a deadline), and whether it has a photo.
std::int64_t add_finding(api_fixture& f, const world& x, bool with_photo) {
  storage::inspection_request r{x.s, {}, 0, "冷柜"};
  r.findings.push_back({"冻虾仁", "domestic_frozen", 500, storage::finding_action::seal,
                        f.as(x.inspector.who).at + std::chrono::hours{48}});
  const auto id = f.ledger().record_inspection(f.as(x.inspector.who), r).value().findings[0].id;
  if (with_photo) {
    bytes png{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0};
    f.ledger().attach_photo(f.as(x.inspector.who), {id, "image/png", png}).value();
  }
  return id;
}

}  // namespace

TEST_CASE("authorization matrix: inspection findings", "[server][api][findings]") {
  api_fixture f;
  struct row {
    std::string_view method, pattern;
    bool photo;  // the finding has a photo already
    expect status;
  };
  const row rows[] = {
      {"GET", "/api/v1/findings", false, regulators(200)},
      {"GET", "/api/v1/findings/{id}/photo", true, regulators(200)},
      {"POST", "/api/v1/findings/{id}/photo", false, {401, 403, 403, 201, 201, 403, 403, 403, 403}},
      {"POST",
       "/api/v1/findings/{id}/follow-up",
       false,
       {401, 403, 403, 200, 200, 403, 403, 403, 403}},
  };
  for (const auto& e : rows) {
    for (role r : roles) {
      for (bool own : {true, false}) {
        if (r == role::anonymous && !own) continue;
        const world x = make_world(f);
        const auto id = std::to_string(add_finding(f, x, e.photo));
        const ask a{x, r, own};
        const std::string token = r == role::anonymous ? std::string() : a.me().token;
        std::string target{e.pattern};
        if (const auto at = target.find("{id}"); at != std::string::npos) target.replace(at, 4, id);
        std::string body;
        fields extra;
        if (e.pattern.ends_with("/follow-up")) {
          body = R"({"note":"已整改"})";
          extra = {{"Content-Type", "application/json"}};
        } else if (e.method == "POST") {
          body = std::string("\x89PNG\r\n\x1a\n", 8) + "xx";
          extra = {{"Content-Type", "image/png"}};
        }
        auto reply = f.call_with(e.method, target, body, token, extra);
        INFO(e.method << " " << e.pattern << " as " << name_of(r) << (own ? " (own)" : " (other)")
                      << " → " << reply.body.substr(0, 300));
        CHECK(reply.status == e.status.of(r, own));
      }
    }
  }
}
