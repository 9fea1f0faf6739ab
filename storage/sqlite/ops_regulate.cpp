// The regulator: inspections (recalls are in ops_recalls.cpp).
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
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
  if (!find_unit(c, r.unit)) return no_such("unit", r.unit);
  if (r.uncoded_items < 0 || r.uncoded_items > max_uncoded_items)
    return fail(errc::invalid_input, "the count of uncoded items must be between 0 and " +
                                         std::to_string(max_uncoded_items));
  if (r.codes.size() > max_codes_per_inspection)
    return fail(errc::invalid_input,
                "at most " + std::to_string(max_codes_per_inspection) + " codes per inspection");
  if (auto e = check_text("the note", r.note, 4000, false, text_lines::many)) return *e;
  inspection_record out{0, ctx.by.account, r.unit, ctx.at, {}, r.uncoded_items, r.note};
  c.query(
       "INSERT INTO inspections (inspector_id, unit_id, inspected_at, uncoded_items, note)"
       " VALUES (?, ?, ?, ?, ?)")
      .with(ctx.by.account, r.unit, seconds(ctx.at), r.uncoded_items, r.note)
      .run();
  out.id = c.last_insert_id();
  json::array checked;
  for (std::size_t i = 0; i < r.codes.size(); ++i) {
    // Judged here, at the inspected unit, not taken from the inspector's phone.
    const auto& scanned = r.codes[i];
    const auto j = judge_scan(c, scanned, r.unit);
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
  append_event(c, ctx, "inspection.record", "inspection/" + std::to_string(out.id),
               json::object{{"codes", std::move(checked)},
                            {"note", r.note},
                            {"uncoded_items", r.uncoded_items},
                            {"unit", r.unit}});
  return out;
}

result<std::vector<inspection_record>> list_inspections(connection& c, const actor& by,
                                                        std::optional<unit_id> unit, page p) {
  if (!reads_everything(by)) {
    if (unit && *unit != by.unit) return no_such("unit", *unit);
    unit = by.unit;
  }
  auto q = c.query(
      "SELECT id, inspector_id, unit_id, inspected_at, uncoded_items, note FROM inspections"
      " WHERE id > ?1 AND (?2 IS NULL OR unit_id = ?2) ORDER BY id LIMIT ?3");
  q.bind(1, p.after).bind(2, unit).bind(3, p.limit);
  std::vector<inspection_record> out;
  while (q.step())
    out.push_back(inspection_record{
        q.int64(0), q.int64(1), q.int64(2), at_seconds(q.int64(3)), {}, q.int64(4), q.text(5)});
  for (auto& i : out) {
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
