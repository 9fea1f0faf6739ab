// Codes in circulation, for the staff of the unit holding them: their codes, dispatch (a
// split to a consignee), receipt, the check at the point of sale, the sales recorded, and the
// counter's stock and day.
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "server/api/requests.hpp"
#include "server/api/routes.hpp"
#include "server/json.hpp"

#include <chrono>

namespace coldtrace::server::api {
namespace {

using storage::actor;

// Who acts, now, and the request's Idempotency-Key if it has one: a retry with the key
// answers with the first request's result instead of writing again.
result<storage::context> acting(const env& e, const request& req, const actor& by) {
  auto at = e.as(by);
  auto once = idempotency_key(req);
  if (!once) return once.error();
  at.once = std::move(*once);
  return at;
}

result<response> list_codes(const env& e, const request& req, context&, const actor& by) {
  auto p = query_page(req);
  if (!p) return p.error();
  std::optional<storage::code_status> status;
  if (auto s = query_param(req, "status")) {
    auto v = enum_value<storage::code_status>(*s, "status", storage::code_status_from,
                                              "pending, active");
    if (!v) return v.error();
    status = *v;
  }
  auto codes = e.ledger().list_codes(by, status, *p);
  if (!codes) return codes.error();
  return json_response(
      200, page_json(
               "codes", *codes, p->limit, [](const auto& c) { return c.id; }, e.a.public_host));
}

result<response> get_code(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto code = e.ledger().get_code(by, *id);
  if (!code) return code.error();
  return json_response(200, to_json(*code, e.a.public_host));
}

// Conservation is the ledger's: concurrent dispatches from one code serialise in its writer.
void dispatch(const env& e, const request& req, context&, const actor& by, respond done) {
  auto r = decode_dispatch(req.body, e.keys()->published);
  if (!r) return refuse(done, r.error());
  auto at = acting(e, req, by);
  if (!at) return refuse(done, at.error());
  e.ledger().async_dispatch(
      *at, *r,
      answer_with<storage::code_record>(std::move(done), [&e](const storage::code_record& child) {
        return json_response(201, to_json(child, e.a.public_host));
      }));
}

void receive(const env& e, const request& req, context&, const actor& by, respond done) {
  auto code = decode_receive(req.body, e.keys()->published);
  if (!code) return refuse(done, code.error());
  auto at = acting(e, req, by);
  if (!at) return refuse(done, at.error());
  e.ledger().async_receive(*at, *code,
                           answer_with<storage::code_record>(
                               std::move(done), [&e](const storage::code_record& received) {
                                 return json_response(200, to_json(received, e.a.public_host));
                               }));
}

// Allowed or not, a check is 200 with its verdict (the counter needs the answer, and the
// ledger records denials as findings); only a sale it cannot record is an error.
void sale_check(const env& e, const request& req, context&, const actor& by, respond done) {
  auto r = decode_sale_check(req.body, by.unit, e.own_hosts);
  if (!r) return refuse(done, r.error());
  auto at = acting(e, req, by);
  if (!at) return refuse(done, at.error());
  e.ledger().async_sale_check(*at, std::move(*r),
                              answer_with<storage::sale_check_result>(
                                  std::move(done), [&e](const storage::sale_check_result& checked) {
                                    e.count_sale_check(checked.verdict);
                                    return json_response(200, to_json(checked));
                                  }));
}

result<response> list_sales(const env& e, const request& req, context&, const actor& by) {
  auto p = query_page(req);
  if (!p) return p.error();
  auto sales = e.ledger().list_sales(by, *p);
  if (!sales) return sales.error();
  return json_response(200,
                       page_json("sales", *sales, p->limit, [](const auto& s) { return s.id; }));
}

// The counter (issue 10), for the unit's own staff: its stock by code, and today's checks.
result<response> unit_stock(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto stock = e.ledger().stock(by, *id);
  if (!stock) return stock.error();
  return json_response(200, to_json(*stock, e.a.public_host));
}

// "Today" is the calendar day in China Standard Time (UTC+8), whatever the server's zone.
result<response> unit_today(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  constexpr auto cst = std::chrono::hours{8};
  const auto from = std::chrono::floor<std::chrono::days>(e.as(by).at + cst) - cst;
  auto day = e.ledger().counter_day(by, *id, from, from + std::chrono::days{1});
  if (!day) return day.error();
  return json_response(200, to_json(*day));
}

}  // namespace

void add_code_routes(router& r, const env_ptr& e) {
  r.add(verb::get, "/api/v1/codes", authed(e, list_codes));
  r.add(verb::get, "/api/v1/codes/{id}", authed(e, get_code));
  r.add_async(verb::post, "/api/v1/dispatch", authed_async(e, dispatch));
  r.add_async(verb::post, "/api/v1/receive", authed_async(e, receive));
  r.add_async(verb::post, "/api/v1/sale-checks", authed_async(e, sale_check));
  r.add(verb::get, "/api/v1/sales", authed(e, list_sales));
  r.add(verb::get, "/api/v1/units/{id}/stock", authed(e, unit_stock));
  r.add(verb::get, "/api/v1/units/{id}/today", authed(e, unit_today));
}

}  // namespace coldtrace::server::api
