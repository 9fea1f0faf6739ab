// The regulator's side: recalls, traces, inspections, statistics and the audit feed.
// Recall is open to inspectors as well as admins: an inspector who finds a positive result
// or forged goods in a market must be able to stop the lot at once, not wait for an admin;
// the recall is audited under the inspector's account.
#include "codec/day.hpp"
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "server/api/requests.hpp"
#include "server/api/routes.hpp"
#include "server/json.hpp"

namespace coldtrace::server::api {
namespace {

using storage::actor;
constexpr std::int64_t max_id = std::numeric_limits<std::int64_t>::max();

result<response> recall(const env& e, const request& req, context&, const actor& by) {
  auto r = decode_recall(req.body);
  if (!r) return r.error();
  auto recalled = e.ledger().recall(e.as(by), std::move(*r));
  if (!recalled) return recalled.error();
  return json_response(201, to_json(*recalled));
}

// GET /api/v1/trace?lot=N | ?code=<URL or digits> | ?code_id=N
result<response> trace(const env& e, const request& req, context&, const actor& by) {
  auto lot = query_integer(req, "lot", 1, max_id);
  if (!lot) return lot.error();
  auto code_id = query_integer(req, "code_id", 1, max_id);
  if (!code_id) return code_id.error();
  const auto code_text = query_param(req, "code");
  if (int{lot->has_value()} + int{code_id->has_value()} + int{code_text.has_value()} != 1)
    return codec::fail(codec::errc::bad_value,
                       "trace takes exactly one of ?lot=N, ?code=<URL or digits>, ?code_id=N");
  if (*lot) {
    auto t = e.ledger().trace_lot(by, **lot);
    if (!t) return t.error();
    return json_response(200, to_json(*t));
  }
  auto id =
      code_text ? signed_code_id(*code_text, e.keys()->published) : result<std::int64_t>(**code_id);
  if (!id) return id.error();
  auto t = e.ledger().trace_code(by, *id);
  if (!t) return t.error();
  return json_response(200, to_json(*t));
}

result<response> record_inspection(const env& e, const request& req, context&, const actor& by) {
  auto r = decode_inspection(req.body, e.own_hosts);
  if (!r) return r.error();
  auto i = e.ledger().record_inspection(e.as(by), std::move(*r));
  if (!i) return i.error();
  return json_response(201, to_json(*i));
}

result<response> list_inspections(const env& e, const request& req, context&, const actor& by) {
  auto p = query_page(req);
  if (!p) return p.error();
  auto unit = query_integer(req, "unit", 1, max_id);
  if (!unit) return unit.error();
  auto list = e.ledger().list_inspections(by, *unit, *p);
  if (!list) return list.error();
  return json_response(
      200, page_json("inspections", *list, p->limit, [](const auto& i) { return i.id; }));
}

// GET /api/v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD, both days inclusive; by default the 30 days
// up to today.
result<response> stats(const env& e, const request& req, context&, const actor& by) {
  auto range = query_day_range(req);
  if (!range) return range.error();
  auto s = e.ledger().stats(by, *range);
  if (!s) return s.error();
  return json_response(200, to_json(*s));
}

// The audit chain, oldest first, a page at a time: ?after=<seq>&limit=N.
result<response> events(const env& e, const request& req, context&, const actor& by) {
  auto p = query_page(req);
  if (!p) return p.error();
  auto list = e.ledger().list_events(by, *p);
  if (!list) return list.error();
  return json_response(200,
                       page_json("events", *list, p->limit, [](const auto& ev) { return ev.seq; }));
}

}  // namespace

void add_regulator_routes(router& r, const env_ptr& e) {
  r.add(verb::post, "/api/v1/recalls", authed(e, recall), blocking);
  r.add(verb::get, "/api/v1/trace", authed(e, trace));
  r.add(verb::post, "/api/v1/inspections", authed(e, record_inspection), blocking);
  r.add(verb::get, "/api/v1/inspections", authed(e, list_inspections));
  // A long period is a long aggregate: off the I/O threads, like a write.
  r.add(verb::get, "/api/v1/stats", authed(e, stats), blocking);
  r.add(verb::get, "/api/v1/events", authed(e, events));
}

}  // namespace coldtrace::server::api
