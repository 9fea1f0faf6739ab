// Reading recalls: the bureau's view (every holder, its answers, the sales before the recall),
// a holder's view (its own row and codes), the open proposals, and the bureau's CSV.
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

namespace coldtrace::storage::sql::ops {
namespace {

constexpr std::string_view holder_sql =
    "SELECT h.unit_id, u.name, h.held_g, h.in_transit_g, h.sold_g, h.notified_at, h.seen_at,"
    " h.acted_at, h.sealed_g, h.returned_g, h.destroyed_g, h.note FROM recall_holders h"
    " JOIN units u ON u.id = h.unit_id WHERE h.recall_id = ?1 AND (?2 IS NULL OR h.unit_id = ?2)"
    " ORDER BY h.held_g + h.in_transit_g DESC, h.unit_id";

std::vector<recall_holder> read_holders(connection& c, std::int64_t recall,
                                        std::optional<unit_id> only, time_point now) {
  auto q = c.query(std::string{holder_sql});
  q.bind(1, recall).bind(2, only);
  std::vector<recall_holder> out;
  while (q.step()) {
    recall_holder h;
    h.unit = q.int64(0);
    h.unit_name = q.text(1);
    h.held_g = q.int64(2);
    h.in_transit_g = q.int64(3);
    h.sold_g = q.int64(4);
    h.notified_at = at_seconds(q.int64(5));
    h.seen_at = opt_time(q, 6);
    h.acted_at = opt_time(q, 7);
    h.sealed_g = q.int64(8);
    h.returned_g = q.int64(9);
    h.destroyed_g = q.int64(10);
    h.note = q.text(11);
    h.overdue = !h.acted_at && now > h.notified_at + recall_response_time;
    out.push_back(std::move(h));
  }
  for (auto& h : out) {
    auto codes = c.query("SELECT c.id FROM codes c" + std::string{recall_scope_sql()} +
                         " AND c.holder_id = ?2 AND c.remaining_g > 0 ORDER BY c.id");
    codes.bind(1, recall).bind(2, h.unit);
    while (codes.step()) h.codes.push_back(codes.int64(0));
  }
  return out;
}

std::vector<recall_sale> read_sales(connection& c, std::int64_t recall) {
  auto q = c.query(
      "SELECT s.id, s.unit_id, u.name, s.code_id, s.quantity_g, s.sold_at FROM sales s"
      " JOIN units u ON u.id = s.unit_id JOIN codes c ON c.id = s.code_id" +
      std::string{recall_scope_sql()} +
      " AND s.sold_at <= rs.recalled_at ORDER BY s.sold_at, s.id");
  q.bind(1, recall);
  std::vector<recall_sale> out;
  while (q.step())
    out.push_back(recall_sale{q.int64(0), q.int64(1), q.text(2), q.int64(3), q.int64(4),
                              at_seconds(q.int64(5))});
  return out;
}

constexpr std::string_view recall_sql =
    "SELECT r.id, r.lot_id, l.product, r.code_id, r.reason, r.recalled_at FROM recalls r"
    " JOIN lots l ON l.id = r.lot_id";

recall_view read_view(const statement& q) {
  return recall_view{
      q.int64(0), q.int64(1), q.text(2), q.opt_int64(3), q.text(4), at_seconds(q.int64(5)), {}, {}};
}

// The recall as `by` may see it: regulators all of it, a holder its own row, others nothing.
void fill(connection& c, const actor& by, recall_view& v, time_point now) {
  const bool all = reads_everything(by);
  v.holders = read_holders(c, v.id, all ? std::nullopt : std::optional{by.unit}, now);
  if (all) v.sales = read_sales(c, v.id);
}

std::vector<holding> live_holders(connection& c, lot_id lot) {
  auto q = c.query(
      "SELECT c.holder_id, u.name,"
      " sum(CASE WHEN c.status = 'active' THEN c.remaining_g ELSE 0 END),"
      " sum(CASE WHEN c.status = 'pending' THEN c.remaining_g ELSE 0 END), count(*)"
      " FROM codes c JOIN units u ON u.id = c.holder_id WHERE c.lot_id = ? AND c.remaining_g > 0"
      " GROUP BY c.holder_id, u.name ORDER BY sum(c.remaining_g) DESC, c.holder_id");
  q.with(lot);
  std::vector<holding> out;
  while (q.step())
    out.push_back(holding{q.int64(0), q.text(1), q.int64(2), q.int64(3), q.int64(4)});
  return out;
}

constexpr std::string_view proposal_sql =
    "SELECT p.id, p.lot_id, l.product, p.sample_id, p.proposed_at, p.status, p.recall_id, p.note,"
    " p.decided_at FROM recall_proposals p JOIN lots l ON l.id = p.lot_id";

recall_proposal read_proposal(const statement& q) {
  recall_proposal p{q.int64(0),
                    q.int64(1),
                    q.text(2),
                    q.int64(3),
                    at_seconds(q.int64(4)),
                    proposal_status_from(q.text(5)).value_or(proposal_status::open),
                    q.opt_int64(6),
                    q.text(7),
                    opt_time(q, 8),
                    {}};
  return p;
}

}  // namespace

result<recall_view> get_recall(connection& c, const actor& by, std::int64_t recall,
                               time_point now) {
  auto q = c.query(std::string{recall_sql} + " WHERE r.id = ?");
  q.with(recall);
  if (!q.step()) return no_such("recall", recall);
  auto v = read_view(q);
  fill(c, by, v, now);
  // Another unit's recall reads as a missing one.
  if (!reads_everything(by) && v.holders.empty())
    return no_such("recall", recall, errc::wrong_unit);
  return v;
}

result<std::vector<recall_view>> list_recalls(connection& c, const actor& by, time_point now,
                                              bool open_only, page p) {
  // A holder's recalls are those it was notified of; open ones it has not acted on yet.
  auto q =
      c.query(std::string{recall_sql} +
              " WHERE r.id > ?1 AND (?2 IS NULL OR EXISTS (SELECT 1 FROM recall_holders h"
              " WHERE h.recall_id = r.id AND h.unit_id = ?2 AND (?3 = 0 OR h.acted_at IS NULL)))"
              " AND (?3 = 0 OR EXISTS (SELECT 1 FROM recall_holders h WHERE h.recall_id = r.id"
              " AND h.acted_at IS NULL)) ORDER BY r.id LIMIT ?4");
  q.bind(1, p.after)
      .bind(2, reads_everything(by) ? std::nullopt : std::optional{by.unit})
      .bind(3, std::int64_t{open_only ? 1 : 0})
      .bind(4, p.limit);
  std::vector<recall_view> out;
  while (q.step()) out.push_back(read_view(q));
  for (auto& v : out) fill(c, by, v, now);
  return out;
}

result<recall_proposal> get_proposal(connection& c, std::int64_t id) {
  auto q = c.query(std::string{proposal_sql} + " WHERE p.id = ?");
  q.with(id);
  if (!q.step()) return no_such("proposal", id);
  auto out = read_proposal(q);
  out.holders = live_holders(c, out.lot);
  return out;
}

result<std::vector<recall_proposal>> list_proposals(connection& c, const actor& by, bool open_only,
                                                    page p) {
  if (auto e =
          require_role(by, {account_role::admin, account_role::inspector}, "read recall proposals"))
    return *e;
  auto q = c.query(std::string{proposal_sql} +
                   " WHERE p.id > ?1 AND (?2 = 0 OR p.status = 'open') ORDER BY p.id LIMIT ?3");
  q.bind(1, p.after).bind(2, std::int64_t{open_only ? 1 : 0}).bind(3, p.limit);
  std::vector<recall_proposal> out;
  while (q.step()) out.push_back(read_proposal(q));
  for (auto& o : out) o.holders = live_holders(c, o.lot);
  return out;
}

}  // namespace coldtrace::storage::sql::ops
