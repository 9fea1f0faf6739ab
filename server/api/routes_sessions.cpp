// People's sign-in: POST /api/v1/sessions takes an account's name and password and answers a
// session token (a bearer token that expires, storage::session_lifetime); DELETE
// /api/v1/sessions/current ends the caller's session (sign-out). Passwords are set by an admin
// or the account itself; an admin ends all of an account's sessions. Machines keep their
// bearer tokens. Attempts are limited per name and per client address (throttle.hpp).
#include "server/api/routes_sessions.hpp"
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "server/api/requests.hpp"
#include "server/api/routes.hpp"
#include "server/api/throttle.hpp"
#include "server/error.hpp"
#include "server/json.hpp"
#include "server/peer.hpp"
#include "storage/sessions.hpp"

#include <algorithm>

namespace coldtrace::server::api {
namespace {

using json_type::string;
using storage::actor;

// Bounds before anything is looked up: a name is a unit's text field, a password at most 128
// bytes (storage/password.hpp); longer input is not a wrong password but a bad request.
result<storage::sign_in_request> decode_sign_in(std::string_view body) {
  static constexpr json_field fields[] = {{"name", string}, {"password", string}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  storage::sign_in_request r{std::string{get_string(*o, "name")},
                             std::string{get_string(*o, "password")}};
  if (r.name.empty() || r.name.size() > 200)
    return fail(errc::missing_field, "\"name\" must be the account's name (1 to 200 bytes)",
                "signin.name", {});
  if (r.password.empty() || r.password.size() > 128)
    return fail(errc::missing_field, "\"password\" must be 1 to 128 bytes", "signin.password", {});
  return r;
}

// The token the request was authenticated with (auth.cpp checked the header's form).
std::string_view bearer_token(const request& req) {
  auto value = req.fields.find("Authorization").value_or("");
  value.remove_prefix(std::min(value.size(), std::size_t{7}));  // "Bearer "
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

response no_store(response r) {
  r.fields.set("Cache-Control", "no-store");
  return r;
}

result<response> sign_in(const env& e, sign_in_throttle& throttle, const request& req) {
  if (auto json = require_json_body(req); !json) return json.error();
  auto r = decode_sign_in(req.body);
  if (!r) return r.error();
  const auto now = sign_in_throttle::clock::now();
  if (auto wait = throttle.wait(r->name, peer_of(req), now)) return too_many_attempts(*wait);
  auto store = storage::sessions_of(e.ledger());
  if (!store) return store.error();
  const auto name = r->name;
  auto s = (*store)->sign_in(e.as(actor{}), std::move(*r));
  if (!s) {
    if (storage::is(s.error(), storage::errc::unauthenticated))
      throttle.failed(name, peer_of(req), now);
    return s.error();
  }
  throttle.succeeded(name);
  return no_store(json_response(201, json::object{{"session", s->session},
                                                  {"token", s->token},
                                                  {"expires_at", iso_time(s->expires_at)},
                                                  {"account", to_json(s->account)}}));
}

result<response> sign_out(const env& e, const request& req, context&, const actor& by) {
  if (auto ok = decode_empty(req.body); !ok) return ok.error();
  auto store = storage::sessions_of(e.ledger());
  if (!store) return store.error();
  auto ended = (*store)->end_session(e.as(by), std::string{bearer_token(req)});
  if (!ended) return ended.error();
  return json_response(200, json::object{{"session", *ended}, {"ended", true}});
}

result<response> set_password(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  static constexpr json_field fields[] = {{"password", string}};
  auto o = parse_object(req.body, fields);
  if (!o) return o.error();
  auto store = storage::sessions_of(e.ledger());
  if (!store) return store.error();
  auto a = (*store)->set_password(
      e.as(by), storage::password_request{*id, std::string{get_string(*o, "password")}});
  if (!a) return a.error();
  return json_response(200, json::object{{"account", to_json(*a)}, {"password_set", true}});
}

result<response> revoke_sessions(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  if (auto ok = decode_empty(req.body); !ok) return ok.error();
  auto store = storage::sessions_of(e.ledger());
  if (!store) return store.error();
  auto n = (*store)->revoke_sessions(e.as(by), *id);
  if (!n) return n.error();
  return json_response(200, json::object{{"account", *id}, {"sessions_ended", *n}});
}

}  // namespace

void add_session_routes(router& r, const env_ptr& e) {
  register_throttle_errors();
  auto throttle = std::make_shared<sign_in_throttle>();
  // Blocking: verifying a password takes tens of milliseconds of Argon2id on purpose.
  r.add(
      verb::post, "/api/v1/sessions",
      [e, throttle](const request& req, context&) { return sign_in(*e, *throttle, req); },
      blocking);
  r.add(verb::delete_, "/api/v1/sessions/current", authed(e, sign_out), blocking);
  r.add(verb::put, "/api/v1/accounts/{id}/password", authed(e, set_password), blocking);
  r.add(verb::delete_, "/api/v1/accounts/{id}/sessions", authed(e, revoke_sessions), blocking);
}

}  // namespace coldtrace::server::api
