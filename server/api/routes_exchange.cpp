// Data exchange: the change feed a regulator's system polls (docs/openapi.yaml, /api/v1/feed), and
// the XLSX/CSV exports for people (/api/v1/export/..., the report /api/v1/report.xlsx). A consumer
// keeps the last `seq` and `hash` it stored; each page starts with the event whose `prev_hash` is
// that hash, so a gap or a rewritten history shows at once, and `head` says how far the chain goes.
#include "codec/day.hpp"
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/epcis.hpp"
#include "server/api/json_records.hpp"
#include "server/api/report_sheets.hpp"
#include "server/api/routes.hpp"
#include "server/error.hpp"
#include "server/json.hpp"
#include "storage/exports.hpp"

#include <boost/json/serialize.hpp>

namespace coldtrace::server::api {
namespace {

// "2026-11-29": the UTC day a range bound falls on, for file names.
std::string day_of(storage::time_point t) {
  const auto d = std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
  return codec::format_day(static_cast<std::uint32_t>(d));
}

using storage::actor;

json::object feed_json(const storage::event_feed& f, storage::event_seq after) {
  json::array events;
  events.reserve(f.events.size());
  for (const auto& e : f.events) events.push_back(to_json(e));
  const auto next = f.events.empty() ? after : f.events.back().seq;
  json::value head_hash = nullptr;
  if (!f.head_hash.empty()) head_hash = to_hex(f.head_hash);
  return {{"events", std::move(events)},
          {"next_after", next},
          {"head", {{"seq", f.head_seq}, {"hash", std::move(head_hash)}}},
          {"caught_up", next == f.head_seq}};
}

// GET /api/v1/feed?after=SEQ&limit=N
result<response> feed(const env& e, const request& req, context&, const actor& by) {
  if (auto ok = only_query_params(req, {"after", "limit", "lang"}); !ok) return ok.error();
  auto p = query_page(req);
  if (!p) return p.error();
  auto f = e.ledger().feed(by, *p);
  if (!f) return f.error();
  return json_response(200, feed_json(*f, p->after));
}

constexpr std::int64_t max_id = std::numeric_limits<std::int64_t>::max();
using storage::export_format;
using storage::language;

result<language> query_lang(const request& req) {
  const auto l = query_param(req, "lang").value_or("zh");
  if (l == "zh") return language::zh;
  if (l == "en") return language::en;
  return codec::fail(codec::errc::bad_value,
                     "\"lang\" is \"" + shown(l) + "\"; it must be zh or en");
}

response file_response(std::string bytes, export_format f, const std::string& name) {
  const bool csv = f == export_format::csv;
  auto r = text_response(200, std::move(bytes),
                         csv ? "text/csv; charset=utf-8"
                             : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  r.fields.set("Content-Disposition",
               "attachment; filename=\"" + name + (csv ? ".csv" : ".xlsx") + "\"");
  r.fields.set("Cache-Control", "private, no-store");
  return r;
}

// GET /api/v1/export/{kind}?from=&to=&unit=&format=xlsx|csv&lang=zh|en; kind "all" is every
// kind, one sheet each (XLSX only). The period is days, both inclusive; 30 days by default.
result<response> export_period(const env& e, const request& req, context& ctx, const actor& by) {
  if (auto ok = only_query_params(req, {"from", "to", "unit", "format", "lang"}); !ok)
    return ok.error();
  storage::export_query q;
  const auto kind = std::string(ctx.params["kind"]);
  if (kind == "all") {
    q.kinds.assign(storage::all_export_kinds.begin(), storage::all_export_kinds.end());
  } else if (auto k = storage::export_kind_from(kind)) {
    q.kinds = {*k};
  } else {
    return fail(errc::not_found, "no export \"" + shown(kind) +
                                     "\"; there are lots, tests, disinfections, codes,"
                                     " dispatches, receipts, sales and all");
  }
  auto range = query_day_range(req);
  if (!range) return range.error();
  q.from = range->from;
  q.to = range->to;
  auto unit = query_integer(req, "unit", 1, max_id);
  if (!unit) return unit.error();
  q.unit = *unit;
  auto lang = query_lang(req);
  if (!lang) return lang.error();
  const auto format_text = query_param(req, "format").value_or("xlsx");
  if (format_text != "xlsx" && format_text != "csv")
    return codec::fail(codec::errc::bad_value,
                       "\"format\" is \"" + shown(format_text) + "\"; it must be xlsx or csv");
  const auto format = format_text == "csv" ? export_format::csv : export_format::xlsx;
  auto tables = e.ledger().export_records(by, q);
  if (!tables) return tables.error();
  auto bytes = storage::render(*tables, *lang, format);
  if (!bytes) return bytes.error();
  return file_response(
      std::move(*bytes), format,
      "coldtrace-" + kind + "-" + day_of(q.from) + "-" + day_of(q.to - std::chrono::days{1}));
}

// GET /api/v1/export/lot/{id}?lang=zh|en: everything about one lot, a sheet per kind.
result<response> export_lot(const env& e, const request& req, context& ctx, const actor& by) {
  if (auto ok = only_query_params(req, {"lang"}); !ok) return ok.error();
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto lang = query_lang(req);
  if (!lang) return lang.error();
  storage::export_query q;
  q.kinds.assign(storage::all_export_kinds.begin(), storage::all_export_kinds.end());
  q.lot = *id;
  auto tables = e.ledger().export_records(by, q);
  if (!tables) return tables.error();
  auto bytes = storage::render(*tables, *lang, export_format::xlsx);
  if (!bytes) return bytes.error();
  return file_response(std::move(*bytes), export_format::xlsx,
                       "coldtrace-lot-" + std::to_string(*id));
}

// GET /api/v1/report.xlsx?from=&to=&lang=zh|en: the bureau's periodic report as a workbook
// (server/api/report_sheets.hpp), the figures GET /api/v1/stats answers for the same days.
result<response> report_xlsx(const env& e, const request& req, context&, const actor& by) {
  if (auto ok = only_query_params(req, {"from", "to", "lang"}); !ok) return ok.error();
  auto range = query_day_range(req);
  if (!range) return range.error();
  auto lang = query_lang(req);
  if (!lang) return lang.error();
  auto s = e.ledger().stats(by, *range);
  if (!s) return s.error();
  auto bytes = codec::to_xlsx(report_sheets(*s, *lang));
  if (!bytes) return bytes.error();
  return file_response(
      std::move(*bytes), export_format::xlsx,
      "coldtrace-report-" + day_of(range->from) + "-" + day_of(range->to - std::chrono::days{1}));
}

// GET /api/v1/epcis?lot=ID, or ?from=&to=&unit=: the lot's or the period's lifecycle as an
// EPCIS 2.0 JSON-LD document (server/api/epcis.hpp); visibility as for the exports.
result<response> epcis(const env& e, const request& req, context&, const actor& by) {
  if (auto ok = only_query_params(req, {"lot", "from", "to", "unit", "lang"}); !ok)
    return ok.error();
  storage::export_query q;
  auto lot = query_integer(req, "lot", 1, max_id);
  if (!lot) return lot.error();
  if (*lot) {
    if (query_param(req, "from") || query_param(req, "to") || query_param(req, "unit")) {
      auto err = codec::fail(codec::errc::bad_value,
                             "\"lot\" asks for the whole lot: give no"
                             " \"from\", \"to\" or \"unit\"");
      err.detail = "epcis.lot_and_period";
      return err;
    }
    q.lot = *lot;
  } else {
    auto range = query_day_range(req);
    if (!range) return range.error();
    q.from = range->from;
    q.to = range->to;
    auto unit = query_integer(req, "unit", 1, max_id);
    if (!unit) return unit.error();
    q.unit = *unit;
  }
  auto h = e.ledger().supply_steps(by, q);
  if (!h) return h.error();
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto r = text_response(200, json::serialize(epcis_document(*h, e.a.public_host, now)),
                         std::string{epcis_media_type});
  r.fields.set("Cache-Control", "private, no-store");
  return r;
}

}  // namespace

void add_exchange_routes(router& r, const env_ptr& e) {
  r.add(verb::get, "/api/v1/feed", authed(e, feed));
  // A long period is a long read and a large file: off the I/O threads, like a write.
  r.add(verb::get, "/api/v1/export/{kind}", authed(e, export_period), blocking);
  r.add(verb::get, "/api/v1/export/lot/{id}", authed(e, export_lot), blocking);
  r.add(verb::get, "/api/v1/epcis", authed(e, epcis), blocking);
  r.add(verb::get, "/api/v1/report.xlsx", authed(e, report_xlsx), blocking);
}

}  // namespace coldtrace::server::api
