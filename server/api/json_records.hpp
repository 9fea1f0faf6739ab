// The one place that writes the ledger's records as JSON. Times are RFC 3339 UTC
// ("2024-03-01T08:30:00Z"), days "YYYY-MM-DD", weights in grams, ids as integers, enumerations
// by their API names; a code carries its URL so a client never builds one.
#pragma once

#include "storage/counter.hpp"
#include "storage/reports.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace coldtrace::server::api {

namespace json = boost::json;

std::string iso_time(storage::time_point t);
std::string iso_day(storage::time_point t);

json::object to_json(const storage::unit_record& u);
json::object to_json(const storage::account_record& a);
json::object to_json(const storage::issued_token& t);
json::object to_json(const storage::lot_record& l);
// `host` is the public host of code URLs (app::public_host).
json::object to_json(const storage::code_record& c, std::string_view host);
json::object to_json(const storage::intake_result& r, std::string_view host);
json::object to_json(const storage::sample_record& s);
json::object to_json(const storage::disinfection_record& d);
json::object to_json(const storage::recall_record& r);
json::object to_json(const storage::lot_detail& d);
json::object to_json(const storage::sale_record& s);
json::object to_json(const storage::trace_node& n, json::storage_ptr sp = {});

// Reports: json_reports.cpp.
// {"verdict", "message_zh", "message_en"}
json::object verdict_json(coldtrace::verdict v, json::storage_ptr sp = {});
// `sp`: the verification is the hot path, so its caller may build it in an arena.
json::object to_json(const storage::verification& v, json::storage_ptr sp = {});
json::object to_json(const storage::sale_check_result& r);
json::object to_json(const storage::recall_result& r);
json::object to_json(const storage::trace_result& t);
json::object to_json(const storage::inspection_record& i);
json::object to_json(const storage::event_record& e);
json::object to_json(const storage::stats_report& s);
// The counter (json_counter.cpp); `host` as for codes.
json::object to_json(const storage::unit_stock& s, std::string_view host);
json::object to_json(const storage::unit_day& d);

// A page of records under `name`, with "next_after": the id to pass as ?after= for the next
// page, or null when this page was the last one.
template <class T, class Id, class... Extra>
json::object page_json(std::string_view name, const std::vector<T>& rows, std::int64_t limit,
                       Id id_of, const Extra&... extra) {
  json::array items;
  items.reserve(rows.size());
  for (const auto& r : rows) items.push_back(to_json(r, extra...));
  json::object out;
  out[name] = std::move(items);
  if (!rows.empty() && static_cast<std::int64_t>(rows.size()) >= limit)
    out["next_after"] = id_of(rows.back());
  else
    out["next_after"] = nullptr;
  return out;
}

}  // namespace coldtrace::server::api
