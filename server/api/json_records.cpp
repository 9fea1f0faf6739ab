#include "server/api/json_records.hpp"

#include "codec/number.hpp"
#include "codec/url.hpp"

namespace coldtrace::server::api {
namespace {

json::value optional_time(const std::optional<storage::time_point>& t) {
  if (!t) return nullptr;
  return json::value(iso_time(*t));
}

}  // namespace

std::string iso_time(storage::time_point t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  // Fixed-width fields written in place: this runs a dozen times per verification.
  std::string out = "0000-00-00T00:00:00Z";
  auto put = [&](std::size_t at, std::size_t width, long v) {
    for (std::size_t i = width; i-- > 0; v /= 10) out[at + i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, static_cast<int>(ymd.year()));
  put(5, 2, static_cast<unsigned>(ymd.month()));
  put(8, 2, static_cast<unsigned>(ymd.day()));
  put(11, 2, hms.hours().count());
  put(14, 2, hms.minutes().count());
  put(17, 2, static_cast<long>(hms.seconds().count()));
  return out;
}

std::string iso_day(storage::time_point t) {
  return iso_time(t).substr(0, 10);
}

json::object to_json(const storage::unit_record& u) {
  return {{"id", u.id},         {"credit_code", u.credit_code},
          {"name", u.name},     {"kind", to_string(u.kind)},
          {"region", u.region}, {"registered_at", iso_time(u.registered_at)}};
}

json::object to_json(const storage::account_record& a) {
  return {{"id", a.id},
          {"unit", a.unit},
          {"role", to_string(a.role)},
          {"name", a.name},
          {"created_at", iso_time(a.created_at)},
          {"revoked_at", optional_time(a.revoked_at)}};
}

json::object to_json(const storage::issued_token& t) {
  return {{"account", to_json(t.account)}, {"token", t.token}};
}

json::object to_json(const storage::lot_record& l) {
  return {{"id", l.id},
          {"warehouse", l.warehouse},
          {"product", l.product},
          {"category", l.category},
          {"origin", l.origin},
          {"net_weight_g", l.net_weight_g},
          {"packages", l.packages},
          {"consignor", l.consignor},
          {"customs_number", l.customs_number},
          {"quarantine_certificate", l.quarantine_certificate},
          {"vehicle", l.vehicle},
          {"intake_at", iso_time(l.intake_at)},
          {"status", to_string(l.status)},
          {"released_at", optional_time(l.released_at)},
          {"recalled_at", optional_time(l.recalled_at)},
          {"root_code", l.root_code},
          {"manufacturer", l.details.manufacturer},
          {"plant_registration", l.details.plant_registration},
          {"production_date", l.details.production_date},
          {"batch_number", l.details.batch_number},
          {"storage_temp_c", l.details.storage_temp_c ? json::value(*l.details.storage_temp_c)
                                                      : json::value(nullptr)},
          {"animal_quarantine_certificate", l.details.animal_quarantine_certificate}};
}

json::object to_json(const storage::code_record& c, std::string_view host) {
  json::object o{{"id", c.id},
                 {"lot", c.lot},
                 {"parent", c.parent ? json::value(*c.parent) : json::value(nullptr)},
                 {"split_path", to_hex(c.split_path)},
                 {"holder", c.holder},
                 {"quantity_g", c.quantity_g},
                 {"remaining_g", c.remaining_g},
                 {"children", c.children},
                 {"status", to_string(c.status)},
                 {"issued_at", iso_time(c.issued_at)},
                 {"received_at", optional_time(c.received_at)}};
  // The host was validated at start-up, so only a bug could make this fail.
  auto url = codec::make_code_url(host, c.signed_code);
  o["url"] = url ? json::value(*url) : json::value(nullptr);
  // The short number printed under the QR symbol (docs/code-format.md §8).
  auto number = codec::number_of_code(c.signed_code);
  o["number"] = number ? json::value(codec::format_number(*number)) : json::value(nullptr);
  // A recall overrides the lot's own state, as it does for every rule.
  if (c.lot_state) o["lot_status"] = c.lot_recalled ? "recalled" : to_string(*c.lot_state);
  return o;
}

json::object to_json(const storage::intake_result& r, std::string_view host) {
  return {{"lot", to_json(r.lot)}, {"code", to_json(r.code, host)}};
}

json::object to_json(const storage::sample_record& s) {
  json::object o{{"id", s.id},
                 {"lot", s.lot},
                 {"type", to_string(s.type)},
                 {"collected_at", iso_time(s.collected_at)},
                 {"collector", s.collector},
                 {"result", nullptr}};
  if (s.result)
    o["result"] = json::object{{"outcome", to_string(s.result->outcome)},
                               {"lab", s.result->lab},
                               {"report_number", s.result->report_number},
                               {"reported_at", iso_time(s.result->reported_at)}};
  return o;
}

json::object to_json(const storage::disinfection_record& d) {
  return {{"id", d.id},
          {"lot", d.lot},
          {"agent", d.agent},
          {"performed_at", iso_time(d.performed_at)},
          {"operator", d.operator_name},
          {"certificate", d.certificate}};
}

json::object to_json(const storage::recall_record& r) {
  return {{"id", r.id}, {"lot", r.lot}, {"reason", r.reason}, {"at", iso_time(r.at)}};
}

json::object to_json(const storage::lot_detail& d) {
  json::object o = to_json(d.lot);
  json::array samples, disinfections;
  for (const auto& s : d.samples) samples.push_back(to_json(s));
  for (const auto& x : d.disinfections) disinfections.push_back(to_json(x));
  o["samples"] = std::move(samples);
  o["disinfections"] = std::move(disinfections);
  o["recall"] = d.recall ? json::value(to_json(*d.recall)) : json::value(nullptr);
  return o;
}

json::object to_json(const storage::sale_record& s) {
  return {{"id", s.id},
          {"code", s.code},
          {"unit", s.unit},
          {"quantity_g", s.quantity_g},
          {"at", iso_time(s.at)}};
}

json::object to_json(const storage::trace_node& n, json::storage_ptr sp) {
  json::object holder({{"id", n.holder}, {"name", n.holder_name}}, sp);
  return json::object({{"code", n.id},
                       {"parent", n.parent ? json::value(*n.parent) : json::value(nullptr)},
                       {"split_path", to_hex(n.split_path)},
                       {"holder", std::move(holder)},
                       {"quantity_g", n.quantity_g},
                       {"remaining_g", n.remaining_g},
                       {"status", to_string(n.status)},
                       {"issued_at", iso_time(n.issued_at)},
                       {"received_at", optional_time(n.received_at)}},
                      sp);
}

}  // namespace coldtrace::server::api
