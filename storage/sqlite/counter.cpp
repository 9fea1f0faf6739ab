// The counter's reads (issue 10): a unit's stock by code and its sale checks of a day, for
// the unit's own staff.
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

namespace coldtrace::storage::sql::ops {
namespace {

std::optional<error> require_own_unit(const actor& by, unit_id unit, std::string_view doing) {
  if (auto e = require_role(by, {account_role::warehouse, account_role::unit_operator}, doing))
    return e;
  if (by.unit != unit)
    return fail(errc::forbidden,
                "an account sees the stock and sales of its own unit only, not of unit " +
                    std::to_string(unit),
                "counter.other_unit", {{"unit", std::to_string(unit)}});
  return std::nullopt;
}

// The code columns, then its lot's status, whether a recall covers the code (its lot's, or
// one of a consignment above it) and its product.
const std::string code_and_lot =
    std::string{code_columns} + ", l.status, " + std::string{code_recalled_sql} + ", l.product";
constexpr int code_and_lot_width = 15;

code_record read_code_and_lot(const statement& q, int first, std::string& product) {
  auto code = read_code(q, first);
  code.lot_state = lot_status_from(q.text(first + 12));
  code.lot_recalled = q.int64(first + 13) != 0;
  product = q.text(first + 14);
  return code;
}

}  // namespace

result<unit_stock> stock(connection& c, const actor& by, unit_id unit) {
  // Regulators read what the ledger says a unit holds, to reconcile it with the shelf.
  if (reads_everything(by)) {
    if (!find_unit(c, unit)) return no_such("unit", unit);
  } else if (auto e = require_own_unit(by, unit, "read a unit's stock")) {
    return *e;
  }
  // Sales are only ever recorded at the code's holder, so a code's sales are this unit's.
  static const std::string sql =
      "SELECT " + code_and_lot +
      ", coalesce((SELECT sum(s.quantity_g) FROM sales s WHERE s.code_id = c.id), 0),"
      " coalesce((SELECT sum(t.quantity_g) FROM transfers t WHERE t.from_code_id = c.id), 0)"
      " FROM codes c JOIN lots l ON l.id = c.lot_id"
      " WHERE c.holder_id = ?1 AND (c.remaining_g > 0 OR c.status = 'pending')"
      " ORDER BY CASE WHEN " +
      std::string{code_recalled_sql} +
      " THEN 0"
      " WHEN l.status = 'quarantined' THEN 1 WHEN c.status = 'pending' THEN 2 ELSE 3 END,"
      " c.id DESC LIMIT ?2";
  auto q = c.query(sql);
  q.bind(1, unit).bind(2, static_cast<std::int64_t>(stock_limit + 1));
  unit_stock out;
  out.unit = unit;
  while (q.step()) {
    if (out.lines.size() == stock_limit) {
      out.truncated = true;
      break;
    }
    stock_line line;
    line.code = read_code_and_lot(q, 0, line.product);
    line.received_g = line.code.status == code_status::active ? line.code.quantity_g : 0;
    line.sold_g = q.int64(code_and_lot_width);
    line.dispatched_g = q.int64(code_and_lot_width + 1);
    out.lines.push_back(std::move(line));
  }
  return out;
}

result<unit_day> counter_day(connection& c, const actor& by, unit_id unit, time_point from,
                             time_point to) {
  if (auto e = require_own_unit(by, unit, "read a unit's sales")) return *e;
  unit_day out;
  out.unit = unit;
  out.from = from;
  out.to = to;
  static const std::string sql =
      "SELECT k.id, k.verdict, k.quantity_g, k.sale_id, k.checked_at, " + code_and_lot +
      " FROM sale_checks k LEFT JOIN codes c ON c.id = k.code_id"
      " LEFT JOIN lots l ON l.id = c.lot_id"
      " WHERE k.unit_id = ?1 AND k.checked_at >= ?2 AND k.checked_at < ?3"
      " ORDER BY k.id DESC LIMIT ?4";
  auto q = c.query(sql);
  q.bind(1, unit)
      .bind(2, seconds(from))
      .bind(3, seconds(to))
      .bind(4, static_cast<std::int64_t>(day_limit + 1));
  while (q.step()) {
    if (out.checks.size() == day_limit) {
      out.truncated = true;
      break;
    }
    counter_check k;
    k.id = q.int64(0);
    k.verdict = verdict_from_string(q.text(1)).value_or(verdict::unknown);
    k.quantity_g = q.opt_int64(2);
    k.sale = q.opt_int64(3);
    k.at = at_seconds(q.int64(4));
    if (!q.is_null(5)) k.code = read_code_and_lot(q, 5, k.product);
    out.checks.push_back(std::move(k));
  }
  auto totals = c.query(
      "SELECT count(sale_id),"
      " coalesce(sum(CASE WHEN sale_id IS NOT NULL THEN quantity_g ELSE 0 END), 0),"
      " coalesce(sum(CASE WHEN verdict <> 'valid' THEN 1 ELSE 0 END), 0)"
      " FROM sale_checks WHERE unit_id = ?1 AND checked_at >= ?2 AND checked_at < ?3");
  totals.bind(1, unit).bind(2, seconds(from)).bind(3, seconds(to));
  totals.step();
  out.sales = totals.int64(0);
  out.sold_g = totals.int64(1);
  out.refused = totals.int64(2);
  return out;
}

}  // namespace coldtrace::storage::sql::ops
