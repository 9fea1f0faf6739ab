// The supervision warehouse: intake, samples, results, disinfections, release, and its lots.
#include "codec/day.hpp"
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "server/api/requests.hpp"
#include "server/api/routes.hpp"
#include "server/json.hpp"

#include <chrono>
#include <tuple>
#include <utility>

namespace coldtrace::server::api {
namespace {

using storage::actor;

// Intake issues the lot's root code at once, so its label can be printed before release. With
// an Idempotency-Key, a retry answers with the lot the first request took in.
result<response> intake(const env& e, const request& req, context&, const actor& by) {
  auto r = decode_intake(req.body);
  if (!r) return r.error();
  auto at = e.as(by);
  auto once = idempotency_key(req);
  if (!once) return once.error();
  at.once = std::move(*once);
  auto in = e.ledger().intake(at, std::move(*r));
  if (!in) return in.error();
  return json_response(201, to_json(*in, e.a.public_host));
}

// GET /api/v1/lots: the caller's lots, or a search (a customs notice names a declaration or
// a certificate): every parameter given narrows the list; a misspelt one is refused rather than
// listing everything.
result<response> list_lots(const env& e, const request& req, context&, const actor& by) {
  if (auto ok =
          only_query_params(req, {"after", "limit", "lang", "status", "product", "category",
                                  "customs_number", "certificate", "batch_number", "from", "to"});
      !ok)
    return ok.error();
  auto p = query_page(req);
  if (!p) return p.error();
  storage::lot_filter f;
  if (auto s = query_param(req, "status")) {
    auto v = enum_value<storage::lot_status>(*s, "status", storage::lot_status_from,
                                             "held, released, quarantined");
    if (!v) return v.error();
    f.status = *v;
  }
  for (auto [name, field] : {std::pair{"product", &f.product},
                             {"category", &f.category},
                             {"customs_number", &f.customs_number},
                             {"certificate", &f.certificate},
                             {"batch_number", &f.batch_number}})
    if (auto v = query_param(req, name)) *field = std::string{*v};
  // Intake days, both inclusive (UTC).
  for (auto [name, bound, after] : {std::tuple{"from", &f.from, 0}, {"to", &f.to, 1}})
    if (auto v = query_param(req, name)) {
      auto day = codec::parse_day(*v);
      if (!day) return day.error();
      *bound = storage::time_point{std::chrono::days{*day + after}};
    }
  auto lots = e.ledger().list_lots(by, f, *p);
  if (!lots) return lots.error();
  return json_response(200, page_json("lots", *lots, p->limit, [](const auto& l) { return l.id; }));
}

result<response> get_lot(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto lot = e.ledger().get_lot(by, *id);
  if (!lot) return lot.error();
  return json_response(200, to_json(*lot));
}

result<response> add_sample(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  const auto at = e.as(by);
  auto r = decode_sample(req.body, *id, at.at);
  if (!r) return r.error();
  auto s = e.ledger().add_sample(at, std::move(*r));
  if (!s) return s.error();
  return json_response(201, to_json(*s));
}

// A positive result quarantines the lot in the same transaction.
result<response> record_result(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  const auto at = e.as(by);
  auto r = decode_result(req.body, *id, at.at);
  if (!r) return r.error();
  auto s = e.ledger().record_result(at, std::move(*r));
  if (!s) return s.error();
  return json_response(201, to_json(*s));
}

result<response> disinfect(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  const auto at = e.as(by);
  auto r = decode_disinfection(req.body, *id, at.at);
  if (!r) return r.error();
  auto d = e.ledger().record_disinfection(at, std::move(*r));
  if (!d) return d.error();
  return json_response(201, to_json(*d));
}

// A refused release is 409 with the rule that failed as the error's code (no_samples,
// results_pending, no_disinfection, quarantined, ...) and its message.
result<response> release(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  if (auto ok = decode_empty(req.body); !ok) return ok.error();
  auto lot = e.ledger().release(e.as(by), *id);
  if (!lot) return lot.error();
  return json_response(200, to_json(*lot));
}

}  // namespace

void add_lot_routes(router& r, const env_ptr& e) {
  r.add(verb::post, "/api/v1/lots", authed(e, intake), blocking);
  r.add(verb::get, "/api/v1/lots", authed(e, list_lots));
  r.add(verb::get, "/api/v1/lots/{id}", authed(e, get_lot));
  r.add(verb::post, "/api/v1/lots/{id}/samples", authed(e, add_sample), blocking);
  r.add(verb::post, "/api/v1/samples/{id}/result", authed(e, record_result), blocking);
  r.add(verb::post, "/api/v1/lots/{id}/disinfections", authed(e, disinfect), blocking);
  r.add(verb::post, "/api/v1/lots/{id}/release", authed(e, release), blocking);
}

}  // namespace coldtrace::server::api
