// The regulator: inspections (recalls are in ops_recalls.cpp).
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/ops_findings.hpp"
#include "storage/sqlite/rows.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace coldtrace::storage::sql::ops {
namespace json = boost::json;
namespace {

constexpr std::size_t max_codes_per_inspection = 1000;
constexpr std::int64_t max_uncoded_items = 1'000'000;

}  // namespace

result<inspection_record> record_inspection(connection& c, const context& ctx,
                                            const inspection_request& r) {
  if (auto e = require_role(ctx.by, {account_role::inspector}, "record inspections")) return *e;
  auto vendor = r.vendor;
  if (vendor) {
    if (r.unit != 0)
      return fail(errc::invalid_input,
                  "an inspection is at a registered unit or at an unregistered vendor, not both",
                  "inspection.unit_and_vendor", {});
    if (auto e = check_vendor(c, ctx, *vendor)) return *e;
  } else if (!find_unit(c, r.unit)) {
    return no_such("unit", r.unit);
  }
  if (r.uncoded_items < 0 || r.uncoded_items > max_uncoded_items)
    return fail(errc::invalid_input, "the count of uncoded items must be between 0 and " +
                                         std::to_string(max_uncoded_items));
  if (r.codes.size() > max_codes_per_inspection)
    return fail(errc::invalid_input,
                "at most " + std::to_string(max_codes_per_inspection) + " codes per inspection");
  if (auto e = check_text("the note", r.note, 4000, false, text_lines::many)) return *e;
  if (auto e = check_findings(ctx, r.findings)) return *e;
  // The items recorded one by one are uncoded items too.
  const auto uncoded = std::max(r.uncoded_items, static_cast<std::int64_t>(r.findings.size()));
  inspection_record out{0, ctx.by.account, r.unit, ctx.at, {}, uncoded, r.note, vendor, {}};
  // At a vendor there is no unit: NULL in the row, and 0 to judge codes at.
  const unit_id at_unit = vendor ? 0 : r.unit;
  std::optional<std::int64_t> unit;
  if (!vendor) unit.emplace(r.unit);
  const auto text_or_null = [&](std::string_view field) -> std::optional<std::string> {
    if (!vendor) return std::nullopt;
    if (field == "name") return vendor->name;
    if (field == "address") return vendor->address;
    if (field == "region") return vendor->region;
    return vendor->credit_code;
  };
  c.query(
       "INSERT INTO inspections (inspector_id, unit_id, inspected_at, uncoded_items, note,"
       " vendor_name, vendor_address, vendor_credit_code, vendor_region)"
       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .with(ctx.by.account, unit, seconds(ctx.at), uncoded, r.note, text_or_null("name"),
            text_or_null("address"), text_or_null("credit_code"), text_or_null("region"))
      .run();
  out.id = c.last_insert_id();
  json::array checked;
  for (std::size_t i = 0; i < r.codes.size(); ++i) {
    // Judged here, at the inspected unit, not taken from the inspector's phone; at a vendor
    // (no unit) a code of ours is always somewhere it should not be.
    const auto& scanned = r.codes[i];
    const auto j = judge_scan(c, scanned, at_unit);
    checked_code cc{j.code ? std::optional{j.code->id} : std::nullopt, j.verdict};
    c.query(
         "INSERT INTO inspection_codes (inspection_id, ordinal, code_id, verdict)"
         " VALUES (?, ?, ?, ?)")
        .with(out.id, static_cast<std::int64_t>(i), cc.code, to_string(cc.verdict))
        .run();
    json::object o{{"verdict", to_string(cc.verdict)}};
    if (cc.code) o["code"] = *cc.code;
    checked.push_back(std::move(o));
    out.codes.push_back(cc);
  }
  auto findings = insert_findings(c, out.id, r.findings, out.findings);
  json::object data{{"codes", std::move(checked)}, {"note", r.note}, {"uncoded_items", uncoded}};
  if (vendor) {
    data["vendor"] = json::object{{"name", vendor->name},
                                  {"address", vendor->address},
                                  {"credit_code", vendor->credit_code},
                                  {"region", vendor->region}};
  } else {
    data["unit"] = r.unit;
  }
  if (!findings.empty()) data["findings"] = std::move(findings);
  append_event(c, ctx, "inspection.record", "inspection/" + std::to_string(out.id), data);
  return out;
}

result<std::vector<inspection_record>> list_inspections(connection& c, const actor& by,
                                                        std::optional<unit_id> unit, page p) {
  if (!reads_everything(by)) {
    if (unit && *unit != by.unit) return no_such("unit", *unit);
    unit = by.unit;
  }
  auto q = c.query(
      "SELECT id, inspector_id, unit_id, inspected_at, uncoded_items, note, vendor_name,"
      " vendor_address, vendor_credit_code, vendor_region FROM inspections"
      " WHERE id > ?1 AND (?2 IS NULL OR unit_id = ?2) ORDER BY id LIMIT ?3");
  q.bind(1, p.after).bind(2, unit).bind(3, p.limit);
  std::vector<inspection_record> out;
  while (q.step()) {
    out.push_back(inspection_record{q.int64(0),
                                    q.int64(1),
                                    q.is_null(2) ? 0 : q.int64(2),
                                    at_seconds(q.int64(3)),
                                    {},
                                    q.int64(4),
                                    q.text(5),
                                    std::nullopt,
                                    {}});
    if (!q.is_null(6)) out.back().vendor = vendor_info{q.text(6), q.text(7), q.text(8), q.text(9)};
  }
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (auto& i : out) {
    i.findings = inspection_findings(c, i.id, now);
    auto codes = c.query(
        "SELECT code_id, verdict FROM inspection_codes WHERE inspection_id = ? ORDER BY ordinal");
    codes.with(i.id);
    while (codes.step())
      i.codes.push_back(checked_code{
          codes.opt_int64(0), verdict_from_string(codes.text(1)).value_or(verdict::unknown)});
  }
  return out;
}

}  // namespace coldtrace::storage::sql::ops
