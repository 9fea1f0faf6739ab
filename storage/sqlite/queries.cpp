// Reads: verification, lots, codes, sales, units, and the offline block list.
#include "codec/code.hpp"
#include "codec/number.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <algorithm>
#include <variant>

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

// The lot's tests as the public sees them, in the order taken.
std::vector<public_test> public_tests(connection& c, lot_id lot) {
  static const std::string sql =
      "SELECT s.type, s.collected_at, r.outcome, r.lab, r.reported_at FROM samples s"
      " LEFT JOIN results r ON r.sample_id = s.id WHERE s.lot_id = ? ORDER BY s.id";
  auto q = c.query(sql);
  q.with(lot);
  std::vector<public_test> out;
  while (q.step()) {
    public_test t{sample_type_from(q.text(0)).value_or(sample_type::outer_packaging),
                  at_seconds(q.int64(1)),
                  std::nullopt,
                  {},
                  std::nullopt};
    if (!q.is_null(2)) {
      t.outcome = test_outcome_from(q.text(2)).value_or(test_outcome::negative);
      t.lab = q.text(3);
      t.reported_at = opt_time(q, 4);
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

// The hot path of a phone scan: one statement reads the code, its holder and its lot, and a
// lot with samples one more for its tests. Only the public view is read (code_facts): no
// chain, no quantities. The stored bytes are compared in place.
verification verify(connection& c, bytes_view scanned, std::optional<unit_id> at_unit) {
  auto p = codec::read_code(scanned);
  if (!p) return {codec::verdict_of(p.error()), std::nullopt};
  static const std::string sql =
      "SELECT c.signed, c.id, c.holder_id, h.name, c.remaining_g, c.status, c.issued_at,"
      " l.id, l.product, l.category, l.origin, l.warehouse_id, l.intake_at, l.status,"
      " l.released_at, r.recalled_at, r.reason, w.name, l.samples, l.negative, l.positive,"
      " l.last_disinfection_at, l.last_disinfection_agent"
      " FROM codes c JOIN units h ON h.id = c.holder_id JOIN lots l ON l.id = c.lot_id"
      " LEFT JOIN recalls r ON r.lot_id = l.id"
      " AND (length(r.split_path) = 0 OR substr(c.split_path, 1, length(r.split_path)) = "
      "r.split_path)"
      " JOIN units w ON w.id = l.warehouse_id WHERE c.id = ?";
  constexpr int lot = 7;
  auto q = c.query(sql);
  q.with(static_cast<code_id>(p->code_id));
  if (!q.step()) return {verdict::unknown, std::nullopt};
  // Exact match with the code we issued: no signature math needed on this path.
  const auto stored = q.blob_view(0);
  if (!std::equal(scanned.begin(), scanned.end(), stored.begin(), stored.end()))
    return {verdict::forged, std::nullopt};

  code_record code;  // what decide() reads
  code.holder = q.int64(2);
  code.status = code_status_from(q.text(5)).value_or(code_status::pending);
  code.remaining_g = q.int64(4);
  lot_record l;
  l.status = lot_status_from(q.text(lot + 6)).value_or(lot_status::held);
  l.recalled_at = opt_time(q, lot + 8);

  verification v{decide(l, code, at_unit), code_facts{}};
  auto& f = *v.facts;
  if (auto n = codec::number_of_code(stored)) f.number = codec::format_number(*n);
  f.code = q.int64(1);
  f.lot = q.int64(lot);
  f.product = q.text(lot + 1);
  f.category = q.text(lot + 2);
  f.origin = q.text(lot + 3);
  f.warehouse = q.int64(lot + 4);
  f.intake_at = at_seconds(q.int64(lot + 5));
  f.lot_state = l.status;
  f.released_at = opt_time(q, lot + 7);
  f.recalled_at = l.recalled_at;
  f.recall_reason = q.text(lot + 9);
  f.warehouse_name = q.text(lot + 10);
  f.samples = q.int64(lot + 11);
  f.negative = q.int64(lot + 12);
  f.positive = q.int64(lot + 13);
  f.last_disinfection_at = opt_time(q, lot + 14);
  f.last_disinfection_agent = q.text(lot + 15);
  f.holder = code.holder;
  f.holder_name = q.text(3);
  f.status = code.status;
  f.issued_at = at_seconds(q.int64(6));
  if (f.samples > 0) {
    f.tests = public_tests(c, f.lot);
    // Counted from the list itself, so the summary and the list agree even when a sample
    // was recorded between the two statements.
    f.samples = static_cast<std::int64_t>(f.tests.size());
    f.negative = std::count_if(f.tests.begin(), f.tests.end(),
                               [](const auto& t) { return t.outcome == test_outcome::negative; });
    f.positive = std::count_if(f.tests.begin(), f.tests.end(),
                               [](const auto& t) { return t.outcome == test_outcome::positive; });
  }
  return v;
}

verification verify_scan(connection& c, const scan& s, std::optional<unit_id> at_unit) {
  if (s.foreign_host) return {verdict::forged, std::nullopt};
  if (!s.number) return verify(c, s.raw, at_unit);
  auto q = c.query("SELECT signed FROM codes WHERE id = ?");
  q.with(static_cast<code_id>(s.number->code_id));
  if (!q.step()) return {verdict::unknown, std::nullopt};
  const auto stored = q.blob_view(0);
  const bytes code(stored.begin(), stored.end());
  auto issued = codec::number_of_code(code);
  // A number that names a code but not its signature was made up, not read off the label.
  if (!issued || issued->tag != s.number->tag) return {verdict::forged, std::nullopt};
  return verify(c, code, at_unit);
}

// One snapshot: the entries and the highest ids are of the same moment, so a lot taken in
// after the entries were read is never counted as covered.
blocked_list blocked(connection& c) {
  transaction snapshot{c};
  blocked_list out;
  auto ids = c.query(
      "SELECT (SELECT coalesce(max(id), 0) FROM lots), (SELECT coalesce(max(id), 0) FROM codes)");
  if (ids.step()) {
    out.last_lot = ids.int64(0);
    out.last_code = ids.int64(1);
  }
  // A recall blocks its prefix (empty for a whole lot, a consignment's path otherwise); a lot
  // not released, or quarantined, is blocked whole unless a recall of the whole lot says more.
  auto q = c.query(
      "SELECT lot_id, split_path, 1 FROM recalls UNION ALL"
      " SELECT l.id, NULL, CASE WHEN l.status = 'quarantined' THEN 2 ELSE 3 END FROM lots l"
      " WHERE l.status <> 'released' AND NOT EXISTS (SELECT 1 FROM recalls r"
      " WHERE r.lot_id = l.id AND length(r.split_path) = 0)"
      " ORDER BY 1, 3");
  while (q.step()) {
    const auto kind = q.int64(2);
    const verdict why = kind == 1   ? verdict::recalled
                        : kind == 2 ? verdict::quarantined
                                    : verdict::not_released;
    out.entries.push_back(blocked_prefix{q.int64(0), q.is_null(1) ? bytes{} : q.blob(1), why});
  }
  return out;
}

result<lot_detail> get_lot(connection& c, const actor& by, lot_id id) {
  transaction snapshot{c};
  auto lot = find_lot(c, id);
  if (!lot || !lot_visible(c, by, *lot)) return no_such("lot", id);
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
  auto r = c.query(
      "SELECT id, reason, recalled_at FROM recalls WHERE lot_id = ? AND length(split_path) = 0");
  r.with(id);
  if (r.step()) d.recall = recall_record{r.int64(0), id, r.text(1), at_seconds(r.int64(2))};
  return d;
}

// A part of a product's name for LIKE, its wildcards taken literally.
std::string like_part(std::string_view s) {
  std::string out = "%";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

result<std::vector<lot_record>> list_lots(connection& c, const actor& by, const lot_filter& f,
                                          page p) {
  // Only the conditions asked for, so that a search by customs number or certificate uses
  // its index (migration 12) instead of reading every lot. At most 2^8 statement texts.
  std::string where = "WHERE l.id > ?";
  std::vector<std::variant<std::int64_t, std::string>> values{p.after};
  auto narrow = [&](const char* condition, auto value) {
    where += condition;
    values.emplace_back(std::move(value));
  };
  if (!reads_everything(by)) narrow(" AND l.warehouse_id = ?", by.unit);
  if (f.status) narrow(" AND l.status = ?", std::string{to_string(*f.status)});
  if (!f.product.empty()) narrow(" AND l.product LIKE ? ESCAPE '\\'", like_part(f.product));
  if (!f.category.empty()) narrow(" AND l.category = ?", f.category);
  if (!f.customs_number.empty()) narrow(" AND l.customs_number = ?", f.customs_number);
  if (!f.batch_number.empty()) narrow(" AND l.batch_number = ?", f.batch_number);
  if (!f.certificate.empty()) {
    narrow(" AND (l.quarantine_certificate = ?", f.certificate);
    narrow(" OR l.animal_quarantine_certificate = ?)", f.certificate);
  }
  if (f.from) narrow(" AND l.intake_at >= ?", seconds(*f.from));
  if (f.to) narrow(" AND l.intake_at < ?", seconds(*f.to));
  narrow(" ORDER BY l.id LIMIT ?", std::int64_t{p.limit});
  auto q = c.query(lot_query(where));
  for (int i = 0; i < static_cast<int>(values.size()); ++i)
    std::visit([&](const auto& v) { q.bind(i + 1, v); }, values[static_cast<std::size_t>(i)]);
  std::vector<lot_record> out;
  while (q.step()) out.push_back(read_lot(q));
  return out;
}

result<code_record> get_code(connection& c, const actor& by, code_id id) {
  auto code = find_code(c, id);
  if (!code || !code_visible(c, by, *code)) return no_such("code", id);
  return std::move(*code);
}

result<std::vector<code_record>> list_codes(connection& c, const actor& by,
                                            std::optional<code_status> s, page p) {
  static const std::string sql =
      "SELECT " + std::string{code_columns} + ", l.status, " + std::string{code_recalled_sql} +
      " FROM codes c JOIN lots l ON l.id = c.lot_id"
      " WHERE c.holder_id = ?1 AND (?2 IS NULL OR c.status = ?2) AND c.id > ?3"
      " ORDER BY c.id LIMIT ?4";
  auto q = c.query(sql);
  q.bind(1, by.unit)
      .bind(2, s ? std::optional{to_string(*s)} : std::nullopt)
      .bind(3, p.after)
      .bind(4, p.limit);
  std::vector<code_record> out;
  while (q.step()) {
    auto code = read_code(q);
    code.lot_state = lot_status_from(q.text(12));
    code.lot_recalled = q.int64(13) != 0;
    out.push_back(std::move(code));
  }
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

// A part of the name anywhere, or the start of the credit code (LIKE ignores ASCII case);
// LIKE's wildcards in the text are taken literally.
std::vector<unit_record> find_units(connection& c, std::string_view text, page p) {
  std::string pattern;
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern.push_back('\\');
    pattern.push_back(ch);
  }
  static const std::string sql = "SELECT " + std::string{unit_columns} +
                                 " FROM units WHERE id > ?1 AND (name LIKE ?2 ESCAPE '\\'"
                                 " OR credit_code LIKE ?3 ESCAPE '\\') ORDER BY id LIMIT ?4";
  auto q = c.query(sql);
  q.bind(1, p.after).bind(2, "%" + pattern + "%").bind(3, pattern + "%").bind(4, p.limit);
  std::vector<unit_record> out;
  while (q.step()) out.push_back(read_unit(q));
  return out;
}

}  // namespace coldtrace::storage::sql::ops
