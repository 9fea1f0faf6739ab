// The lifecycle as steps (storage/supply.hpp), for EPCIS documents. Each query takes the
// exports' parameters (?1 unit or NULL, ?2 lot or NULL, ?3 and ?4 the period [from, to)) and
// answers the same columns: at, record, lot, code, its signed bytes, the code split from and
// its bytes, the unit's credit code, the consignee's, quantity, term, detail, report.
#include "storage/sqlite/supply.hpp"

#include "storage/sqlite/exports.hpp"

#include <algorithm>
#include <limits>

namespace coldtrace::storage::sql {
namespace {

// A lot step: the lot's root code, at its warehouse.
#define LOT_STEP(at, record, rest)                                                            \
  "SELECT " at ", " record ", l.id, rc.id, rc.signed, NULL, NULL, w.credit_code, NULL, " rest \
  " FROM lots l JOIN codes rc ON rc.id = l.root_code_id JOIN units w ON w.id = l.warehouse_id"

struct step_query {
  step_kind kind;
  const char* sql;
};

const step_query queries[] = {
    {step_kind::intake,
     LOT_STEP("l.intake_at", "l.id",
              "l.net_weight_g, NULL, NULL, NULL") " WHERE" COLDTRACE_LOT_VISIBLE
                                                  " AND l.intake_at >= ?3 AND l.intake_at < ?4"},
    {step_kind::sample,
     LOT_STEP(
         "s.collected_at", "s.id",
         "NULL, s.type, s.collector, NULL") " JOIN samples s ON s.lot_id = l.id "
                                            "WHERE" COLDTRACE_LOT_VISIBLE
                                            " AND s.collected_at >= ?3 AND s.collected_at < ?4"},
    {step_kind::result,
     LOT_STEP("r.reported_at", "s.id",
              "NULL, r.outcome, r.lab, r.report_number") " JOIN samples s ON s.lot_id = l.id JOIN "
                                                         "results r ON r.sample_id = s.id"
                                                         " WHERE" COLDTRACE_LOT_VISIBLE
                                                         " AND r.reported_at >= ?3 AND "
                                                         "r.reported_at < ?4"},
    {step_kind::disinfection,
     LOT_STEP(
         "d.performed_at", "d.id",
         "NULL, d.agent, d.certificate, NULL") " JOIN disinfections d ON d.lot_id = l.id "
                                               "WHERE" COLDTRACE_LOT_VISIBLE
                                               " AND d.performed_at >= ?3 AND d.performed_at < ?4"},
    {step_kind::release,
     LOT_STEP("l.released_at", "l.id",
              "NULL, NULL, NULL, NULL") " WHERE" COLDTRACE_LOT_VISIBLE
                                        " AND l.released_at IS NOT NULL"
                                        " AND l.released_at >= ?3 AND l.released_at < ?4"},
    {step_kind::recall,
     LOT_STEP("x.recalled_at", "x.id",
              "NULL, x.reason, NULL, NULL") " JOIN recalls x ON x.lot_id = l.id "
                                            "WHERE" COLDTRACE_LOT_VISIBLE
                                            " AND x.recalled_at >= ?3 AND x.recalled_at < ?4"},
    {step_kind::dispatch,
     "SELECT t.dispatched_at, t.id, c.lot_id, c.id, c.signed, f.id, f.signed, fu.credit_code,"
     " tu.credit_code, t.quantity_g, NULL, NULL, NULL FROM transfers t"
     " JOIN codes c ON c.id = t.code_id JOIN codes f ON f.id = t.from_code_id"
     " JOIN units fu ON fu.id = t.from_unit JOIN units tu ON tu.id = t.to_unit"
     " WHERE (CAST(?2 AS BIGINT) IS NULL OR c.lot_id = ?2)"
     " AND (CAST(?1 AS BIGINT) IS NULL OR t.from_unit = ?1)"
     " AND t.dispatched_at >= ?3 AND t.dispatched_at < ?4"},
    {step_kind::receipt,
     "SELECT t.received_at, t.id, c.lot_id, c.id, c.signed, NULL, NULL, tu.credit_code,"
     " NULL, t.quantity_g, NULL, NULL, NULL FROM transfers t JOIN codes c ON c.id = t.code_id"
     " JOIN units tu ON tu.id = t.to_unit WHERE t.received_at IS NOT NULL"
     " AND (CAST(?2 AS BIGINT) IS NULL OR c.lot_id = ?2)"
     " AND (CAST(?1 AS BIGINT) IS NULL OR t.to_unit = ?1)"
     " AND t.received_at >= ?3 AND t.received_at < ?4"},
    {step_kind::sale,
     "SELECT s.sold_at, s.id, c.lot_id, c.id, c.signed, NULL, NULL, u.credit_code, NULL,"
     " s.quantity_g, NULL, NULL, NULL FROM sales s JOIN codes c ON c.id = s.code_id"
     " JOIN units u ON u.id = s.unit_id WHERE (CAST(?2 AS BIGINT) IS NULL OR c.lot_id = ?2)"
     " AND (CAST(?1 AS BIGINT) IS NULL OR s.unit_id = ?1)"
     " AND s.sold_at >= ?3 AND s.sold_at < ?4"},
};

#undef LOT_STEP

std::string text_or_empty(const statement& s, int col) {
  return s.is_null(col) ? std::string{} : s.text(col);
}

supply_step read_step(const statement& s, step_kind kind) {
  supply_step out;
  out.kind = kind;
  out.at = time_point{std::chrono::seconds{s.int64(0)}};
  out.record = s.int64(1);
  out.lot = s.int64(2);
  out.code = {s.int64(3), s.blob(4)};
  if (!s.is_null(5)) out.from = step_code{s.int64(5), s.blob(6)};
  out.unit = s.text(7);
  out.to_unit = text_or_empty(s, 8);
  out.quantity_g = s.is_null(9) ? 0 : s.int64(9);
  out.term = text_or_empty(s, 10);
  out.detail = text_or_empty(s, 11);
  out.report = text_or_empty(s, 12);
  return out;
}

}  // namespace

supply_history supply_steps(connection& c, const export_query& q) {
  transaction snapshot{c};
  std::int64_t from = q.from.time_since_epoch().count(), to = q.to.time_since_epoch().count();
  if (q.lot) {
    from = std::numeric_limits<std::int64_t>::min();
    to = std::numeric_limits<std::int64_t>::max();
  }
  supply_history out;
  for (const auto& [kind, sql] : queries) {
    auto s = c.query(sql);
    s.with(q.unit, q.lot, from, to);
    while (s.step()) out.steps.push_back(read_step(s, kind));
  }
  std::stable_sort(out.steps.begin(), out.steps.end(), [](const auto& a, const auto& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.lot != b.lot) return a.lot < b.lot;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.record < b.record;
  });
  std::vector<lot_id> ids;
  for (const auto& s : out.steps) ids.push_back(s.lot);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const auto id : ids) {
    auto s = c.query(
        "SELECT id, product, category, origin, consignor, customs_number,"
        " quarantine_certificate, net_weight_g, packages FROM lots WHERE id = ?1");
    s.with(id);
    if (!s.step()) continue;
    out.lots.push_back({s.int64(0), s.text(1), s.text(2), s.text(3), text_or_empty(s, 4),
                        text_or_empty(s, 5), text_or_empty(s, 6), s.int64(7), s.int64(8)});
  }
  return out;
}

}  // namespace coldtrace::storage::sql
