#include "server/api/requests.hpp"

#include "codec/number.hpp"
#include "codec/url.hpp"
#include "server/api/decode.hpp"
#include "server/api/requests_findings.hpp"
#include "server/error.hpp"
#include "server/json.hpp"

#include <boost/json/array.hpp>

#include <array>

namespace coldtrace::server::api {
namespace {

namespace json = boost::json;
using json_type::integer;
using json_type::string;

constexpr std::string_view unit_kinds = "warehouse, producer, caterer, seller, regulator";
constexpr std::string_view roles = "admin, warehouse, operator, inspector";
constexpr std::string_view sample_types = "outer_packaging, food_surface, environment";
constexpr std::string_view outcomes = "negative, positive";

std::string text(const json::object& o, std::string_view name) {
  return std::string(get_string(o, name));
}
std::string optional_text(const json::object& o, std::string_view name) {
  return std::string(find_string(o, name).value_or(""));
}

// "code" may be an id (integer) or a code's URL or digits (string): the JSON type picks the
// field table, so both forms get the same unknown-field and type checks.
result<json::object> parse_with_code(std::string_view body, std::span<const json_field> by_text,
                                     std::span<const json_field> by_id) {
  auto value = parse_json(body);
  if (!value) return value.error();
  if (!value->is_object())
    return fail(errc::not_an_object, "the request body must be a JSON object ({...})");
  auto& object = value->get_object();
  const auto* code = object.if_contains("code");
  const bool by_number = code != nullptr && code->is_number();
  if (auto ok = check_fields(object, by_number ? by_id : by_text); !ok) return ok.error();
  return std::move(object);
}

}  // namespace

storage::scan scanned(std::string_view text, const codec::own_hosts& own) {
  if (codec::looks_like_number(text)) {
    auto n = codec::parse_number(text);
    if (n) return storage::scan::by_number(*n);
    return bytes{};
  }
  auto b = codec::parse_own_code_text(text, own);
  if (b) return std::move(*b);
  if (b.error().code == codec::errc::foreign_host) return storage::scan::under_foreign_host();
  return bytes{};
}

result<storage::unit_request> decode_unit(std::string_view body) {
  static constexpr json_field fields[] = {
      {"credit_code", string}, {"name", string}, {"kind", string}, {"region", string}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  auto kind = enum_value<storage::unit_kind>(get_string(*o, "kind"), "kind",
                                             storage::unit_kind_from, unit_kinds);
  if (!kind) return kind.error();
  return storage::unit_request{text(*o, "credit_code"), text(*o, "name"), *kind,
                               text(*o, "region")};
}

result<storage::account_request> decode_account(std::string_view body) {
  static constexpr json_field fields[] = {{"unit", integer}, {"role", string}, {"name", string}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  auto role = enum_value<storage::account_role>(get_string(*o, "role"), "role",
                                                storage::account_role_from, roles);
  if (!role) return role.error();
  return storage::account_request{get_integer(*o, "unit"), *role, text(*o, "name")};
}

result<storage::intake_request> decode_intake(std::string_view body) {
  static constexpr json_field fields[] = {{"product", string},
                                          {"category", string},
                                          {"origin", string},
                                          {"net_weight_g", integer},
                                          {"packages", integer},
                                          {"consignor", string},
                                          {"customs_number", string, false},
                                          {"quarantine_certificate", string, false},
                                          {"vehicle", string},
                                          {"manufacturer", string, false},
                                          {"plant_registration", string, false},
                                          {"production_date", string, false},
                                          {"batch_number", string, false},
                                          {"storage_temp_c", integer, false},
                                          {"animal_quarantine_certificate", string, false}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  storage::intake_request r;
  r.product = text(*o, "product");
  r.category = text(*o, "category");
  r.origin = text(*o, "origin");
  r.net_weight_g = get_integer(*o, "net_weight_g");
  r.packages = get_integer(*o, "packages");
  r.consignor = text(*o, "consignor");
  r.customs_number = optional_text(*o, "customs_number");
  r.quarantine_certificate = optional_text(*o, "quarantine_certificate");
  r.vehicle = text(*o, "vehicle");
  auto& d = r.details;
  d.manufacturer = optional_text(*o, "manufacturer");
  d.plant_registration = optional_text(*o, "plant_registration");
  d.production_date = optional_text(*o, "production_date");
  d.batch_number = optional_text(*o, "batch_number");
  d.storage_temp_c = find_integer(*o, "storage_temp_c");
  d.animal_quarantine_certificate = optional_text(*o, "animal_quarantine_certificate");
  return r;
}

result<storage::sample_request> decode_sample(std::string_view body, storage::lot_id lot,
                                              storage::time_point now) {
  static constexpr json_field fields[] = {
      {"type", string}, {"collector", string}, {"collected_at", string, false}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  auto type = enum_value<storage::sample_type>(get_string(*o, "type"), "type",
                                               storage::sample_type_from, sample_types);
  if (!type) return type.error();
  auto at = time_field(*o, "collected_at", now);
  if (!at) return at.error();
  return storage::sample_request{lot, *type, *at, text(*o, "collector")};
}

result<storage::result_request> decode_result(std::string_view body, storage::sample_id sample,
                                              storage::time_point now) {
  static constexpr json_field fields[] = {{"outcome", string},
                                          {"lab", string},
                                          {"report_number", string},
                                          {"reported_at", string, false}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  auto outcome = enum_value<storage::test_outcome>(get_string(*o, "outcome"), "outcome",
                                                   storage::test_outcome_from, outcomes);
  if (!outcome) return outcome.error();
  auto at = time_field(*o, "reported_at", now);
  if (!at) return at.error();
  return storage::result_request{sample, *outcome, text(*o, "lab"), text(*o, "report_number"), *at};
}

result<storage::disinfection_request> decode_disinfection(std::string_view body,
                                                          storage::lot_id lot,
                                                          storage::time_point now) {
  static constexpr json_field fields[] = {{"agent", string},
                                          {"operator", string},
                                          {"certificate", string},
                                          {"performed_at", string, false}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  auto at = time_field(*o, "performed_at", now);
  if (!at) return at.error();
  return storage::disinfection_request{lot, text(*o, "agent"), *at, text(*o, "operator"),
                                       text(*o, "certificate")};
}

result<storage::dispatch_request> decode_dispatch(std::string_view body,
                                                  const codec::key_set& keys) {
  static constexpr json_field by_text[] = {
      {"code", string}, {"consignee", integer}, {"quantity_g", integer}};
  static constexpr json_field by_id[] = {
      {"code", integer}, {"consignee", integer}, {"quantity_g", integer}};
  auto o = parse_with_code(body, by_text, by_id);
  if (!o) return o.error();
  auto code = code_reference(*o, keys);
  if (!code) return code.error();
  return storage::dispatch_request{*code, get_integer(*o, "consignee"),
                                   get_integer(*o, "quantity_g")};
}

result<storage::code_id> decode_receive(std::string_view body, const codec::key_set& keys) {
  static constexpr json_field by_text[] = {{"code", string}};
  static constexpr json_field by_id[] = {{"code", integer}};
  auto o = parse_with_code(body, by_text, by_id);
  if (!o) return o.error();
  return code_reference(*o, keys);
}

result<storage::sale_check_request> decode_sale_check(std::string_view body, storage::unit_id at,
                                                      const codec::own_hosts& own) {
  static constexpr json_field fields[] = {{"code", string}, {"quantity_g", integer, false}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  storage::sale_check_request r;
  // What cannot be read as a code is still a scan to judge (malformed), not a bad request:
  // the counter needs the verdict, and the ledger records the check.
  r.code = scanned(get_string(*o, "code"), own);
  r.unit = at;
  r.quantity_g = find_integer(*o, "quantity_g");
  return r;
}

// {"lot", "reason"}: the whole lot; with "code" (an id), that consignment and everything below
// it; with "proposal", the proposal it confirms. One of lot, code and proposal names the lot.
result<storage::recall_request> decode_recall(std::string_view body) {
  static constexpr json_field fields[] = {{"lot", integer, false},
                                          {"reason", string},
                                          {"code", integer, false},
                                          {"proposal", integer, false}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  storage::recall_request r{find_integer(*o, "lot").value_or(0), text(*o, "reason"),
                            find_integer(*o, "code"), find_integer(*o, "proposal")};
  if (r.lot == 0 && !r.code && !r.proposal)
    return fail(errc::missing_field,
                "the request body lacks \"lot\" (or \"code\", or \"proposal\")",
                "json.missing_field", {{"field", "lot"}});
  return r;
}

result<storage::recall_response_request> decode_recall_response(std::string_view body,
                                                                std::int64_t recall) {
  static constexpr json_field fields[] = {{"sealed_g", integer, false},
                                          {"returned_g", integer, false},
                                          {"destroyed_g", integer, false},
                                          {"note", string, false}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  return storage::recall_response_request{
      recall, find_integer(*o, "sealed_g").value_or(0), find_integer(*o, "returned_g").value_or(0),
      find_integer(*o, "destroyed_g").value_or(0), optional_text(*o, "note")};
}

result<storage::proposal_dismissal> decode_dismissal(std::string_view body, std::int64_t proposal) {
  static constexpr json_field fields[] = {{"reason", string}};
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  return storage::proposal_dismissal{proposal, text(*o, "reason")};
}

result<storage::inspection_request> decode_inspection(std::string_view body,
                                                      const codec::own_hosts& own) {
  static constexpr json_field fields[] = {{"unit", integer, false},
                                          {"vendor", json_type::object, false},
                                          {"codes", json_type::array, false},
                                          {"uncoded_items", integer, false},
                                          {"note", string, false},
                                          {"findings", json_type::array, false}};
  // An inspection lists what was seen at one counter, not a warehouse's stock.
  constexpr std::size_t max_codes = 500;
  auto o = parse_object(body, fields);
  if (!o) return o.error();
  storage::inspection_request r;
  // At a registered unit ("unit") or at an unregistered vendor ("vendor"); the ledger refuses
  // both at once.
  const auto unit = find_integer(*o, "unit");
  if (!unit && (!o->contains("vendor") || o->at("vendor").is_null()))
    return fail(errc::missing_field,
                "the request body lacks \"unit\" (or \"vendor\" for an unregistered vendor)",
                "json.missing_field", {{"field", "unit"}});
  r.unit = unit.value_or(0);
  if (auto ok = decode_inspection_extras(*o, r); !ok) return ok.error();
  static const json::array none;
  const auto* listed = o->if_contains("codes");
  const auto& codes = listed && listed->is_array() ? listed->get_array() : none;
  if (codes.size() > max_codes)
    return codec::fail(codec::errc::bad_value,
                       "an inspection lists at most " + std::to_string(max_codes) + " codes");
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (!codes[i].is_string())
      return fail(errc::wrong_type,
                  "\"codes[" + std::to_string(i) + "]\" must be a code's URL or digits (a string)");
    // Unreadable codes are findings too: the ledger records them as malformed.
    r.codes.push_back(scanned(codes[i].get_string(), own));
  }
  r.uncoded_items = find_integer(*o, "uncoded_items").value_or(0);
  r.note = optional_text(*o, "note");
  return r;
}

result<void> decode_empty(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  static constexpr std::array<json_field, 0> none{};
  auto o = parse_object(body, none);
  if (!o) return o.error();
  return {};
}

}  // namespace coldtrace::server::api
