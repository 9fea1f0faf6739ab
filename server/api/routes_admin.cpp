// The caller's own account, units and accounts. Registering units and creating accounts is
// the bureau admin's; the unit directory is readable by every account, because dispatching
// goods means naming the consignee unit.
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "server/api/requests.hpp"
#include "server/api/routes.hpp"
#include "server/json.hpp"

#include <algorithm>

namespace coldtrace::server::api {
namespace {

using storage::actor;

// A token is shown once: no cache anywhere may keep a copy.
response token_response(unsigned status, const storage::issued_token& t) {
  auto r = json_response(status, to_json(t));
  r.fields.set("Cache-Control", "no-store");
  return r;
}

result<response> me(const env& e, const request&, context&, const actor& by) {
  auto unit = e.ledger().get_unit(by.unit);
  if (!unit) return unit.error();
  json::object o{{"account", by.account}, {"role", to_string(by.role)}, {"unit", to_json(*unit)}};
  if (auto accounts = e.ledger().list_accounts(by, by.unit)) {
    auto it = std::find_if(accounts->begin(), accounts->end(),
                           [&](const auto& a) { return a.id == by.account; });
    if (it != accounts->end()) o["name"] = it->name;
  }
  return json_response(200, o);
}

result<response> register_unit(const env& e, const request& req, context&, const actor& by) {
  auto r = decode_unit(req.body);
  if (!r) return r.error();
  auto unit = e.ledger().register_unit(e.as(by), std::move(*r));
  if (!unit) return unit.error();
  return json_response(201, to_json(*unit));
}

result<response> list_units(const env& e, const request& req, context&, const actor&) {
  auto p = query_page(req);
  if (!p) return p.error();
  // ?q= narrows the directory to a name or credit code, for pickers among thousands of units.
  auto q = query_param(req, "q");
  if (q && q->size() > 100)
    return codec::fail(codec::errc::bad_value,
                       "\"q\" is at most 100 bytes: a part of a unit's "
                       "name or the start of its credit code");
  auto units = q && !q->empty() ? e.ledger().find_units(*q, *p) : e.ledger().list_units(*p);
  if (!units) return units.error();
  return json_response(200,
                       page_json("units", *units, p->limit, [](const auto& u) { return u.id; }));
}

result<response> get_unit(const env& e, const request&, context& ctx, const actor&) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto unit = e.ledger().get_unit(*id);
  if (!unit) return unit.error();
  return json_response(200, to_json(*unit));
}

result<response> unit_accounts(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto accounts = e.ledger().list_accounts(by, *id);
  if (!accounts) return accounts.error();
  json::array items;
  for (const auto& a : *accounts) items.push_back(to_json(a));
  return json_response(200, json::object{{"accounts", std::move(items)}});
}

result<response> create_account(const env& e, const request& req, context&, const actor& by) {
  auto r = decode_account(req.body);
  if (!r) return r.error();
  auto t = e.ledger().create_account(e.as(by), *r);
  if (!t) return t.error();
  return token_response(201, *t);
}

result<response> rotate(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  if (auto ok = decode_empty(req.body); !ok) return ok.error();
  auto t = e.ledger().rotate_token(e.as(by), *id);
  if (!t) return t.error();
  return token_response(200, *t);
}

result<response> revoke(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  if (auto ok = decode_empty(req.body); !ok) return ok.error();
  auto a = e.ledger().revoke_token(e.as(by), *id);
  if (!a) return a.error();
  return json_response(200, to_json(*a));
}

}  // namespace

void add_admin_routes(router& r, const env_ptr& e) {
  r.add(verb::get, "/api/v1/me", authed(e, me));
  r.add(verb::post, "/api/v1/units", authed(e, register_unit), blocking);
  r.add(verb::get, "/api/v1/units", authed(e, list_units));
  r.add(verb::get, "/api/v1/units/{id}", authed(e, get_unit));
  r.add(verb::get, "/api/v1/units/{id}/accounts", authed(e, unit_accounts));
  r.add(verb::post, "/api/v1/accounts", authed(e, create_account), blocking);
  r.add(verb::post, "/api/v1/accounts/{id}/rotate", authed(e, rotate), blocking);
  r.add(verb::post, "/api/v1/accounts/{id}/revoke", authed(e, revoke), blocking);
}

}  // namespace coldtrace::server::api
