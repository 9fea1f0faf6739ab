// Reads: verification, lots, codes, sales, units, and the offline block list.
#include "codec/code.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <algorithm>

namespace coldtrace::storage::sql::ops {
namespace {

// Another unit's record answers not_found, never its data.
bool lot_visible(connection& c, const actor& by, const lot_record& lot) {
  if (reads_everything(by) || lot.warehouse == by.unit) return true;
  auto q = c.query("SELECT 1 FROM codes WHERE lot_id = ? AND holder_id = ? LIMIT 1");
  q.with(lot.id, by.unit);
  return q.step();
}

bool code_visible(connection& c, const actor& by, const code_record& code) {
  if (reads_everything(by) || code.holder == by.unit) return true;
  auto q = c.query(
      "SELECT 1 FROM lots WHERE id = ?1 AND warehouse_id = ?3"
      " UNION ALL SELECT 1 FROM codes WHERE id = ?2 AND holder_id = ?3");
  q.bind(1, code.lot).bind(2, code.parent).bind(3, by.unit);
  return q.step();
}

std::string lot_query(std::string_view where) {
  return "SELECT " + std::string{lot_columns} + std::string{lot_from} + " " + std::string{where};
}

}  // namespace

// The hot path of a phone scan: one read transaction, the code with everything a phone shows
// in one statement (only the columns shown, compared in place), and one lookup per ancestor.
verification verify(connection& c, bytes_view scanned) {
  auto p = codec::read_code(scanned);
  if (!p) return {codec::verdict_of(p.error()), std::nullopt};
  static const std::string sql =
      "SELECT c.signed, c.lot_id, c.parent_id, c.split_path, c.holder_id, c.quantity_g,"
      " c.remaining_g, c.status, c.issued_at, c.received_at,"
      " l.product, l.category, l.origin, l.warehouse_id, l.intake_at, l.status, l.released_at,"
      " r.recalled_at, r.reason, w.name, h.name, l.samples, l.negative, l.positive,"
      " l.last_disinfection_at, l.last_disinfection_agent"
      " FROM codes c JOIN lots l ON l.id = c.lot_id LEFT JOIN recalls r ON r.lot_id = l.id"
      " JOIN units w ON w.id = l.warehouse_id JOIN units h ON h.id = c.holder_id"
      " WHERE c.id = ?";
  transaction snapshot{c};  // one consistent view for all the facts
  auto q = c.query(sql);
  q.with(static_cast<code_id>(p->code_id));
  if (!q.step()) return {verdict::unknown, std::nullopt};
  // Exact match with the code we issued: no signature math needed on this path.
  const auto stored = q.blob_view(0);
  if (!std::equal(scanned.begin(), scanned.end(), stored.begin(), stored.end()))
    return {verdict::forged, std::nullopt};

  code_record code;  // only what the verdict and the chain need
  code.id = static_cast<code_id>(p->code_id);
  code.lot = q.int64(1);
  code.parent = q.opt_int64(2);
  code.split_path = q.blob(3);
  code.holder = q.int64(4);
  code.quantity_g = q.int64(5);
  code.remaining_g = q.int64(6);
  code.status = code_status_from(q.text(7)).value_or(code_status::pending);
  code.issued_at = at_seconds(q.int64(8));
  code.received_at = opt_time(q, 9);
  lot_record lot;
  lot.status = lot_status_from(q.text(15)).value_or(lot_status::held);
  lot.recalled_at = opt_time(q, 17);

  verification v{decide(lot, code, std::nullopt), code_facts{}};
  auto& f = *v.facts;
  f.code = code.id;
  f.lot = code.lot;
  f.product = q.text(10);
  f.category = q.text(11);
  f.origin = q.text(12);
  f.warehouse = q.int64(13);
  f.intake_at = at_seconds(q.int64(14));
  f.lot_state = lot.status;
  f.released_at = opt_time(q, 16);
  f.recalled_at = lot.recalled_at;
  f.recall_reason = q.text(18);
  f.warehouse_name = q.text(19);
  f.holder_name = q.text(20);
  f.samples = q.int64(21);
  f.negative = q.int64(22);
  f.positive = q.int64(23);
  f.last_disinfection_at = opt_time(q, 24);
  f.last_disinfection_agent = q.text(25);
  f.holder = code.holder;
  f.status = code.status;
  f.quantity_g = code.quantity_g;
  f.remaining_g = code.remaining_g;
  f.chain = ancestors(c, code);
  f.chain.push_back(trace_node{code.id, code.parent, std::move(code.split_path), code.holder,
                               f.holder_name, code.quantity_g, code.remaining_g, code.status,
                               code.issued_at, code.received_at});
  return v;
}

std::vector<blocked_prefix> blocked_prefixes(connection& c) {
  std::vector<blocked_prefix> out;
  auto q = c.query(
      "SELECT l.id, l.status, r.id FROM lots l LEFT JOIN recalls r ON r.lot_id = l.id"
      " WHERE r.id IS NOT NULL OR l.status != 'released' ORDER BY l.id");
  while (q.step()) {
    const auto status = lot_status_from(q.text(1));
    const verdict why = !q.is_null(2)                       ? verdict::recalled
                        : status == lot_status::quarantined ? verdict::quarantined
                                                            : verdict::not_released;
    // A recall is of a whole lot, so the prefix is empty: every code of the lot.
    out.push_back(blocked_prefix{q.int64(0), {}, why});
  }
  return out;
}

result<lot_detail> get_lot(connection& c, const actor& by, lot_id id) {
  transaction snapshot{c};
  auto lot = find_lot(c, id);
  if (!lot || !lot_visible(c, by, *lot))
    return fail(errc::not_found, "no lot " + std::to_string(id));
  lot_detail d{std::move(*lot), {}, {}, std::nullopt};
  auto s = c.query(
      "SELECT s.id, s.type, s.collected_at, s.collector, r.outcome, r.lab, r.report_number,"
      " r.reported_at FROM samples s LEFT JOIN results r ON r.sample_id = s.id"
      " WHERE s.lot_id = ? ORDER BY s.id");
  s.with(id);
  while (s.step()) {
    sample_record r{s.int64(0),
                    id,
                    sample_type_from(s.text(1)).value_or(sample_type::outer_packaging),
                    at_seconds(s.int64(2)),
                    s.text(3),
                    std::nullopt};
    if (!s.is_null(4))
      r.result = result_record{test_outcome_from(s.text(4)).value_or(test_outcome::negative),
                               s.text(5), s.text(6), at_seconds(s.int64(7))};
    d.samples.push_back(std::move(r));
  }
  auto q = c.query(
      "SELECT id, agent, performed_at, operator_name, certificate FROM disinfections"
      " WHERE lot_id = ? ORDER BY performed_at, id");
  q.with(id);
  while (q.step())
    d.disinfections.push_back(disinfection_record{q.int64(0), id, q.text(1), at_seconds(q.int64(2)),
                                                  q.text(3), q.text(4)});
  auto r = c.query("SELECT id, reason, recalled_at FROM recalls WHERE lot_id = ?");
  r.with(id);
  if (r.step()) d.recall = recall_record{r.int64(0), id, r.text(1), at_seconds(r.int64(2))};
  return d;
}

result<std::vector<lot_record>> list_lots(connection& c, const actor& by,
                                          std::optional<lot_status> s, page p) {
  static const std::string sql = lot_query(
      "WHERE l.id > ?1 AND (?2 IS NULL OR l.warehouse_id = ?2) AND (?3 IS NULL OR l.status = ?3)"
      " ORDER BY l.id LIMIT ?4");
  auto q = c.query(sql);
  q.bind(1, p.after)
      .bind(2, reads_everything(by) ? std::nullopt : std::optional{by.unit})
      .bind(3, s ? std::optional{to_string(*s)} : std::nullopt)
      .bind(4, p.limit);
  std::vector<lot_record> out;
  while (q.step()) out.push_back(read_lot(q));
  return out;
}

result<code_record> get_code(connection& c, const actor& by, code_id id) {
  auto code = find_code(c, id);
  if (!code || !code_visible(c, by, *code))
    return fail(errc::not_found, "no code " + std::to_string(id));
  return std::move(*code);
}

result<std::vector<code_record>> list_codes(connection& c, const actor& by,
                                            std::optional<code_status> s, page p) {
  static const std::string sql =
      "SELECT " + std::string{code_columns} +
      " FROM codes c WHERE c.holder_id = ?1 AND (?2 IS NULL OR c.status = ?2) AND c.id > ?3"
      " ORDER BY c.id LIMIT ?4";
  auto q = c.query(sql);
  q.bind(1, by.unit)
      .bind(2, s ? std::optional{to_string(*s)} : std::nullopt)
      .bind(3, p.after)
      .bind(4, p.limit);
  std::vector<code_record> out;
  while (q.step()) out.push_back(read_code(q));
  return out;
}

result<std::vector<sale_record>> list_sales(connection& c, const actor& by, page p) {
  auto q = c.query(
      "SELECT id, code_id, unit_id, quantity_g, sold_at FROM sales"
      " WHERE unit_id = ? AND id > ? ORDER BY id LIMIT ?");
  q.with(by.unit, p.after, p.limit);
  std::vector<sale_record> out;
  while (q.step())
    out.push_back(
        sale_record{q.int64(0), q.int64(1), q.int64(2), q.int64(3), at_seconds(q.int64(4))});
  return out;
}

std::vector<unit_record> list_units(connection& c, page p) {
  static const std::string sql =
      "SELECT " + std::string{unit_columns} + " FROM units WHERE id > ? ORDER BY id LIMIT ?";
  auto q = c.query(sql);
  q.with(p.after, p.limit);
  std::vector<unit_record> out;
  while (q.step()) out.push_back(read_unit(q));
  return out;
}

}  // namespace coldtrace::storage::sql::ops
