// Recalls that reach the goods (issue 10): the bureau's proposals and recall screen, and each
// holder's open recalls, its acknowledgement and its account of what it did. Who may do what
// is the ledger's rule (storage/ledger.hpp): regulators read every recall and decide
// proposals; a holder's staff read and answer their own unit's recalls only.
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_recalls.hpp"
#include "server/api/requests.hpp"
#include "server/api/routes.hpp"
#include "server/json.hpp"
#include "storage/exports.hpp"

namespace coldtrace::server::api {
namespace {

using storage::actor;

// A page of records as page_json makes it; page_json itself sees only json_records.hpp's
// to_json overloads.
template <class T>
json::object page_of(std::string_view name, const std::vector<T>& rows, std::int64_t limit) {
  json::array items;
  for (const auto& r : rows) items.push_back(to_json(r));
  json::object out;
  out[name] = std::move(items);
  out["next_after"] = !rows.empty() && static_cast<std::int64_t>(rows.size()) >= limit
                          ? json::value(rows.back().id)
                          : json::value(nullptr);
  return out;
}

// ?open=true|false (default false): only what has not been acted on yet.
result<bool> query_open(const request& req) {
  const auto v = query_param(req, "open").value_or("false");
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return codec::fail(codec::errc::bad_value,
                     "\"open\" is \"" + shown(v) + "\"; it must be true or false");
}

result<response> list_recalls(const env& e, const request& req, context&, const actor& by) {
  auto p = query_page(req);
  if (!p) return p.error();
  auto open = query_open(req);
  if (!open) return open.error();
  auto list = e.ledger().list_recalls(by, now(), *open, *p);
  if (!list) return list.error();
  return json_response(200, page_of("recalls", *list, p->limit));
}

result<response> get_recall(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto v = e.ledger().get_recall(by, *id, now());
  if (!v) return v.error();
  return json_response(200, to_json(*v));
}

result<response> mark_seen(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto v = e.ledger().mark_recall_seen(e.as(by), *id);
  if (!v) return v.error();
  return json_response(200, to_json(*v));
}

result<response> respond(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto r = decode_recall_response(req.body, *id);
  if (!r) return r.error();
  auto v = e.ledger().respond_recall(e.as(by), std::move(*r));
  if (!v) return v.error();
  return json_response(200, to_json(*v));
}

// GET /api/v1/recalls/{id}/export?format=csv|xlsx&lang=zh|en: the holders, one row each.
result<response> export_recall(const env& e, const request& req, context& ctx, const actor& by) {
  if (auto ok = only_query_params(req, {"format", "lang"}); !ok) return ok.error();
  auto id = path_id(ctx);
  if (!id) return id.error();
  const auto lang_text = query_param(req, "lang").value_or("zh");
  if (lang_text != "zh" && lang_text != "en")
    return codec::fail(codec::errc::bad_value,
                       "\"lang\" is \"" + shown(lang_text) + "\"; it must be zh or en");
  const auto format_text = query_param(req, "format").value_or("csv");
  if (format_text != "csv" && format_text != "xlsx")
    return codec::fail(codec::errc::bad_value,
                       "\"format\" is \"" + shown(format_text) + "\"; it must be csv or xlsx");
  const bool csv = format_text == "csv";
  auto table = e.ledger().export_recall(by, *id, now());
  if (!table) return table.error();
  auto bytes = storage::render({std::move(*table)},
                               lang_text == "en" ? storage::language::en : storage::language::zh,
                               csv ? storage::export_format::csv : storage::export_format::xlsx);
  if (!bytes) return bytes.error();
  auto r = text_response(200, std::move(*bytes),
                         csv ? "text/csv; charset=utf-8"
                             : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  r.fields.set("Content-Disposition", "attachment; filename=\"coldtrace-recall-" +
                                          std::to_string(*id) + (csv ? ".csv\"" : ".xlsx\""));
  r.fields.set("Cache-Control", "private, no-store");
  return r;
}

result<response> list_proposals(const env& e, const request& req, context&, const actor& by) {
  auto p = query_page(req);
  if (!p) return p.error();
  auto open = query_open(req);
  if (!open) return open.error();
  auto list = e.ledger().list_recall_proposals(by, *open, *p);
  if (!list) return list.error();
  return json_response(200, page_of("proposals", *list, p->limit));
}

result<response> dismiss(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto r = decode_dismissal(req.body, *id);
  if (!r) return r.error();
  auto p = e.ledger().dismiss_proposal(e.as(by), std::move(*r));
  if (!p) return p.error();
  return json_response(200, to_json(*p));
}

}  // namespace

void add_recall_routes(router& r, const env_ptr& e) {
  r.add(verb::get, "/api/v1/recalls", authed(e, list_recalls));
  r.add(verb::get, "/api/v1/recalls/{id}", authed(e, get_recall));
  r.add(verb::get, "/api/v1/recalls/{id}/export", authed(e, export_recall), blocking);
  r.add(verb::post, "/api/v1/recalls/{id}/seen", authed(e, mark_seen), blocking);
  r.add(verb::post, "/api/v1/recalls/{id}/response", authed(e, respond), blocking);
  r.add(verb::get, "/api/v1/recall-proposals", authed(e, list_proposals));
  r.add(verb::post, "/api/v1/recall-proposals/{id}/dismiss", authed(e, dismiss), blocking);
}

}  // namespace coldtrace::server::api
