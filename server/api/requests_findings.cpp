#include "server/api/requests_findings.hpp"

#include "server/api/decode.hpp"
#include "server/error.hpp"
#include "server/json.hpp"

#include <boost/json/array.hpp>

namespace coldtrace::server::api {
namespace {

namespace json = boost::json;
using json_type::integer;
using json_type::string;

constexpr std::string_view actions = "seal, seize, stop_selling";
constexpr std::size_t max_findings = 200;

std::string optional_text(const json::object& o, std::string_view name) {
  return std::string(find_string(o, name).value_or(""));
}

}  // namespace

result<void> decode_inspection_extras(const json::object& o, storage::inspection_request& r) {
  if (const auto* v = o.if_contains("vendor"); v && !v->is_null()) {
    static constexpr json_field fields[] = {{"name", string},
                                            {"address", string},
                                            {"credit_code", string, false},
                                            {"region", string, false}};
    const auto& vo = v->get_object();
    if (auto ok = check_fields(vo, fields, "vendor."); !ok) return ok.error();
    r.vendor = storage::vendor_info{std::string(get_string(vo, "name")),
                                    std::string(get_string(vo, "address")),
                                    optional_text(vo, "credit_code"), optional_text(vo, "region")};
  }
  const auto* items = o.if_contains("findings");
  if (!items || items->is_null()) return {};
  const auto& list = items->get_array();
  if (list.size() > max_findings)
    return codec::fail(codec::errc::bad_value,
                       "an inspection records at most " + std::to_string(max_findings) + " items");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto where = "findings[" + std::to_string(i) + "].";
    if (!list[i].is_object())
      return fail(errc::wrong_type, "\"" + where.substr(0, where.size() - 1) +
                                        "\" must be an object (product, category, weight_g, "
                                        "action, deadline)");
    static constexpr json_field fields[] = {{"product", string},
                                            {"category", string},
                                            {"weight_g", integer},
                                            {"action", string},
                                            {"deadline", string, false}};
    const auto& f = list[i].get_object();
    if (auto ok = check_fields(f, fields, where); !ok) return ok.error();
    auto action = enum_value<storage::finding_action>(get_string(f, "action"), where + "action",
                                                      storage::finding_action_from, actions);
    if (!action) return action.error();
    storage::finding_request fr{std::string(get_string(f, "product")),
                                std::string(get_string(f, "category")), get_integer(f, "weight_g"),
                                *action, std::nullopt};
    if (auto d = find_string(f, "deadline")) {
      auto t = parse_time(*d, where + "deadline");
      if (!t) return t.error();
      fr.deadline = *t;
    }
    r.findings.push_back(std::move(fr));
  }
  return {};
}

result<storage::follow_up_request> decode_follow_up(std::string_view body, std::int64_t finding) {
  static constexpr json_field fields[] = {{"note", string}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  return storage::follow_up_request{finding, std::string(get_string(*o, "note"))};
}

result<storage::findings_query> query_findings(const request& req, storage::time_point now) {
  storage::findings_query q;
  q.now = now;
  const auto state = query_param(req, "state").value_or("open");
  auto s = enum_value<storage::finding_state>(state, "state", storage::finding_state_from,
                                              "open, overdue, closed, all");
  if (!s) return s.error();
  q.state = *s;
  q.region = std::string(query_param(req, "region").value_or(""));
  auto unit = query_integer(req, "unit", 1, std::numeric_limits<std::int64_t>::max());
  if (!unit) return unit.error();
  q.unit = *unit;
  return q;
}

}  // namespace coldtrace::server::api
