// The counter's answers as JSON (issue 10): a unit's stock by code and its sale checks of a
// day. A stock line's code is the code as /api/v1/codes gives it; a check names its code only
// (id, printed number, lot): a code refused as wrong_holder is another unit's, and its
// quantities are not this unit's to see.
#include "server/api/json_records.hpp"

#include "codec/number.hpp"

namespace coldtrace::server::api {
namespace {

json::object code_name(const storage::code_record& c) {
  auto number = codec::number_of_code(c.signed_code);
  return {{"id", c.id},
          {"number", number ? json::value(codec::format_number(*number)) : json::value(nullptr)},
          {"lot", c.lot}};
}

}  // namespace

json::object to_json(const storage::unit_stock& s, std::string_view host) {
  json::array lines;
  lines.reserve(s.lines.size());
  for (const auto& l : s.lines)
    lines.push_back(json::object{{"code", to_json(l.code, host)},
                                 {"product", l.product},
                                 {"received_g", l.received_g},
                                 {"sold_g", l.sold_g},
                                 {"dispatched_g", l.dispatched_g},
                                 {"remaining_g", l.code.remaining_g}});
  return {{"unit", s.unit}, {"stock", std::move(lines)}, {"truncated", s.truncated}};
}

json::object to_json(const storage::unit_day& d) {
  json::array checks;
  checks.reserve(d.checks.size());
  for (const auto& k : d.checks) {
    json::object o = verdict_json(k.verdict);
    o["id"] = k.id;
    o["allowed"] = k.verdict == coldtrace::verdict::valid;
    o["code"] = k.code ? json::value(code_name(*k.code)) : json::value(nullptr);
    o["product"] = k.code ? json::value(k.product) : json::value(nullptr);
    o["quantity_g"] = k.quantity_g ? json::value(*k.quantity_g) : json::value(nullptr);
    o["sale"] = k.sale ? json::value(*k.sale) : json::value(nullptr);
    o["at"] = iso_time(k.at);
    checks.push_back(std::move(o));
  }
  return {{"unit", d.unit},
          {"from", iso_time(d.from)},
          {"to", iso_time(d.to)},
          {"sales", d.sales},
          {"sold_g", d.sold_g},
          {"refused", d.refused},
          {"checks", std::move(checks)},
          {"truncated", d.truncated}};
}

}  // namespace coldtrace::server::api
