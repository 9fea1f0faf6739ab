// Recalls: of a lot or of one consignment and everything below it, the proposal a positive
// result opens for the bureau, and each holder's acknowledgement and account of what it did.
#include "codec/bytes.hpp"
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace coldtrace::storage::sql::ops {
namespace json = boost::json;
namespace {

std::string recall_subject(std::int64_t id) {
  return "recall/" + std::to_string(id);
}

// Whether the unit acts for goods: a holder's staff (not a regulator's).
std::optional<error> require_holder(const actor& by, std::string_view doing) {
  return require_role(by, {account_role::warehouse, account_role::unit_operator}, doing);
}

struct holder_row {
  std::int64_t held_g = 0, in_transit_g = 0;
  std::optional<std::int64_t> seen_at, acted_at;
};

// The caller's unit's row of a recall; another unit's recall answers as a missing one.
result<holder_row> own_row(connection& c, const actor& by, std::int64_t recall) {
  auto q = c.query(
      "SELECT held_g, in_transit_g, seen_at, acted_at FROM recall_holders"
      " WHERE recall_id = ? AND unit_id = ?");
  q.with(recall, by.unit);
  if (!q.step()) return no_such("recall", recall, errc::wrong_unit);
  return holder_row{q.int64(0), q.int64(1), q.opt_int64(2), q.opt_int64(3)};
}

}  // namespace

std::string_view recall_scope_sql() {
  // ?1 is the recall; codes aliased c. A blob's substr counts bytes on both databases; an
  // empty prefix (the whole lot) is tested apart: SQLite's substr of an empty blob is NULL.
  return " JOIN recalls rs ON rs.id = ?1 WHERE c.lot_id = rs.lot_id"
         " AND (length(rs.split_path) = 0 OR substr(c.split_path, 1, length(rs.split_path)) = "
         "rs.split_path)";
}

std::optional<time_point> recall_covering(connection& c, const code_record& code) {
  auto q = c.query(
      "SELECT min(r.recalled_at) FROM recalls r JOIN codes c ON c.id = ?"
      " WHERE r.lot_id = c.lot_id AND (length(r.split_path) = 0 OR substr(c.split_path, 1, "
      "length(r.split_path)) = r.split_path)");
  q.with(code.id);
  if (!q.step()) return std::nullopt;
  return opt_time(q, 0);
}

void propose_recall(connection& c, const context& ctx, lot_id lot, sample_id sample) {
  auto open = c.query(
      "SELECT 1 FROM recall_proposals WHERE lot_id = ?1 AND status = 'open'"
      " UNION ALL SELECT 1 FROM recalls WHERE lot_id = ?1 AND length(split_path) = 0");
  open.bind(1, lot);
  if (open.step()) return;  // the bureau has it in hand already
  c.query(
       "INSERT INTO recall_proposals (lot_id, sample_id, proposed_at, status)"
       " VALUES (?, ?, ?, 'open')")
      .with(lot, sample, seconds(ctx.at))
      .run();
  append_event(c, ctx, "recall.propose", "lot/" + std::to_string(lot),
               json::object{{"proposal", c.last_insert_id()}, {"sample", sample}});
}

result<recall_result> recall(connection& c, const context& ctx, const recall_request& r) {
  if (auto e = require_role(ctx.by, {account_role::admin, account_role::inspector}, "recall lots"))
    return *e;
  if (auto e = check_text("the reason", r.reason, 1000, true, text_lines::many)) return *e;
  lot_id lot_of = r.lot;
  if (r.proposal) {
    auto p = c.query("SELECT lot_id, status FROM recall_proposals WHERE id = ?");
    p.with(*r.proposal);
    if (!p.step()) return no_such("proposal", *r.proposal);
    if (lot_of == 0) lot_of = p.int64(0);
    if (p.int64(0) != lot_of)
      return fail(errc::invalid_input,
                  "proposal " + std::to_string(*r.proposal) + " is for lot " +
                      std::to_string(p.int64(0)) + ", not lot " + std::to_string(lot_of),
                  "recall.proposal_lot",
                  {{"proposal", std::to_string(*r.proposal)}, {"lot", std::to_string(p.int64(0))}});
    if (p.text(1) != "open")
      return fail(errc::duplicate,
                  "proposal " + std::to_string(*r.proposal) + " was already " + p.text(1),
                  "recall.proposal_decided", {{"proposal", std::to_string(*r.proposal)}});
  }
  std::optional<code_record> code;
  if (r.code) {
    code = find_code(c, *r.code);
    if (!code) return no_such("code", *r.code);
    if (lot_of == 0) lot_of = code->lot;
    if (code->lot != lot_of)
      return fail(
          errc::invalid_input,
          "code " + std::to_string(*r.code) + " is not a code of lot " + std::to_string(lot_of),
          "recall.code_lot", {{"code", std::to_string(*r.code)}, {"lot", std::to_string(lot_of)}});
  }
  const auto lot = find_lot(c, lot_of);
  if (!lot) return no_such("lot", lot_of);
  if (lot->recalled_at)
    return fail(errc::recalled, "lot " + std::to_string(lot_of) + " was already recalled",
                "recall.already", {{"lot", std::to_string(lot_of)}});
  const bytes path = code ? code->split_path : bytes{};
  if (code && recall_covering(c, *code))
    return fail(errc::recalled, "code " + std::to_string(code->id) + " is already under a recall",
                "recall.code_already", {{"code", std::to_string(code->id)}});
  c.query(
       "INSERT INTO recalls (lot_id, reason, account_id, recalled_at, code_id, split_path)"
       " VALUES (?, ?, ?, ?, ?, ?)")
      .with(lot_of, r.reason, ctx.by.account, seconds(ctx.at), r.code, path)
      .run();
  recall_result out;
  out.recall = recall_record{c.last_insert_id(), lot_of, r.reason, ctx.at};
  const auto id = out.recall.id;
  // The recall blocks every code under its prefix (verification reads it), so nothing per code
  // is written; what is left is finding who holds what, from the (lot, path) index.
  auto q = c.query(
      "SELECT c.holder_id, u.name,"
      " sum(CASE WHEN c.status = 'active' THEN c.remaining_g ELSE 0 END) AS held,"
      " sum(CASE WHEN c.status = 'pending' THEN c.remaining_g ELSE 0 END) AS transit, count(*)"
      " FROM codes c JOIN units u ON u.id = c.holder_id" +
      std::string{recall_scope_sql()} +
      " AND c.remaining_g > 0"
      " GROUP BY c.holder_id, u.name ORDER BY sum(c.remaining_g) DESC, c.holder_id");
  q.with(id);
  while (q.step())
    out.holders.push_back(holding{q.int64(0), q.text(1), q.int64(2), q.int64(3), q.int64(4)});
  auto n = c.query("SELECT count(*) FROM codes c" + std::string{recall_scope_sql()});
  n.with(id);
  n.step();
  out.codes_blocked = n.int64(0);
  json::array holders;
  for (const auto& h : out.holders) {
    // What this holder sold from the recalled codes before now: it is told, and so is the bureau.
    auto s = c.query(
        "SELECT coalesce(sum(s.quantity_g), 0) FROM sales s JOIN codes c ON c.id = s.code_id" +
        std::string{recall_scope_sql()} + " AND s.unit_id = ?2");
    s.bind(1, id).bind(2, h.unit);
    s.step();
    const auto sold = s.int64(0);
    c.query(
         "INSERT INTO recall_holders (recall_id, unit_id, held_g, in_transit_g, sold_g,"
         " notified_at) VALUES (?, ?, ?, ?, ?, ?)")
        .with(id, h.unit, h.held_g, h.in_transit_g, sold, seconds(ctx.at))
        .run();
    holders.push_back(json::object{{"held_g", h.held_g},
                                   {"in_transit_g", h.in_transit_g},
                                   {"sold_g", sold},
                                   {"unit", h.unit}});
  }
  // Confirms the proposal named, and a recall of the whole lot every open one of the lot.
  c.query(
       "UPDATE recall_proposals SET status = 'confirmed', recall_id = ?1, decided_by = ?2,"
       " decided_at = ?3 WHERE status = 'open' AND (id = ?4 OR (?5 = 0 AND lot_id = ?6))")
      .with(id, ctx.by.account, seconds(ctx.at), r.proposal.value_or(0),
            static_cast<std::int64_t>(path.size()), lot_of)
      .run();
  json::object data{{"codes", out.codes_blocked},
                    {"holders", std::move(holders)},
                    {"path", to_hex(path)},
                    {"reason", r.reason},
                    {"recall", id}};
  if (r.code) data["code"] = *r.code;
  if (r.proposal) data["proposal"] = *r.proposal;
  append_event(c, ctx, "lot.recall", "lot/" + std::to_string(lot_of), data);
  return out;
}

result<recall_proposal> dismiss_proposal(connection& c, const context& ctx,
                                         const proposal_dismissal& r) {
  if (auto e = require_role(ctx.by, {account_role::admin, account_role::inspector},
                            "dismiss recall proposals"))
    return *e;
  if (auto e = check_text("the reason", r.reason, 1000, true, text_lines::many)) return *e;
  auto p = c.query("SELECT status FROM recall_proposals WHERE id = ?");
  p.with(r.proposal);
  if (!p.step()) return no_such("proposal", r.proposal);
  if (p.text(0) != "open")
    return fail(errc::duplicate,
                "proposal " + std::to_string(r.proposal) + " was already " + p.text(0),
                "recall.proposal_decided", {{"proposal", std::to_string(r.proposal)}});
  c.query(
       "UPDATE recall_proposals SET status = 'dismissed', decided_by = ?, decided_at = ?,"
       " note = ? WHERE id = ?")
      .with(ctx.by.account, seconds(ctx.at), r.reason, r.proposal)
      .run();
  append_event(c, ctx, "recall.dismiss", "proposal/" + std::to_string(r.proposal),
               json::object{{"reason", r.reason}});
  return get_proposal(c, r.proposal);
}

result<recall_view> mark_recall_seen(connection& c, const context& ctx, std::int64_t recall) {
  if (auto e = require_holder(ctx.by, "acknowledge recalls")) return *e;
  auto row = own_row(c, ctx.by, recall);
  if (!row) return row.error();
  if (!row->seen_at) {
    c.query("UPDATE recall_holders SET seen_at = ? WHERE recall_id = ? AND unit_id = ?")
        .with(seconds(ctx.at), recall, ctx.by.unit)
        .run();
    append_event(c, ctx, "recall.seen", recall_subject(recall),
                 json::object{{"unit", ctx.by.unit}});
  }
  return get_recall(c, ctx.by, recall, ctx.at);
}

result<recall_view> respond_recall(connection& c, const context& ctx,
                                   const recall_response_request& r) {
  if (auto e = require_holder(ctx.by, "record what was done in a recall")) return *e;
  auto row = own_row(c, ctx.by, r.recall);
  if (!row) return row.error();
  const std::string which = "recall " + std::to_string(r.recall);
  if (row->acted_at)
    return fail(errc::duplicate, which + ": your unit has already recorded what it did",
                "recall.already_acted", {{"recall", std::to_string(r.recall)}});
  for (auto [name, v] : {std::pair{"sealed", r.sealed_g}, std::pair{"returned", r.returned_g},
                         std::pair{"destroyed", r.destroyed_g}})
    if (v < 0)
      return fail(errc::invalid_input, std::string{"the quantity "} + name + " cannot be negative",
                  "recall.negative", {{"what", name}});
  if (auto e = check_text("the note", r.note, 1000, false, text_lines::many)) return *e;
  const auto owed = row->held_g + row->in_transit_g;
  const auto total = r.sealed_g + r.returned_g + r.destroyed_g;
  if (total != owed)
    return fail(errc::invalid_input,
                which + ": sealed, returned and destroyed add up to " + std::to_string(total) +
                    " g, but your unit held " + std::to_string(owed) + " g (" +
                    std::to_string(row->held_g) + " g received, " +
                    std::to_string(row->in_transit_g) + " g in transit)",
                "recall.unbalanced",
                {{"recall", std::to_string(r.recall)},
                 {"total", std::to_string(total)},
                 {"owed", std::to_string(owed)}});
  c.query(
       "UPDATE recall_holders SET seen_at = coalesce(seen_at, ?1), acted_at = ?1, sealed_g = ?2,"
       " returned_g = ?3, destroyed_g = ?4, note = ?5 WHERE recall_id = ?6 AND unit_id = ?7")
      .with(seconds(ctx.at), r.sealed_g, r.returned_g, r.destroyed_g, r.note, r.recall, ctx.by.unit)
      .run();
  append_event(c, ctx, "recall.respond", recall_subject(r.recall),
               json::object{{"destroyed_g", r.destroyed_g},
                            {"note", r.note},
                            {"returned_g", r.returned_g},
                            {"sealed_g", r.sealed_g},
                            {"unit", ctx.by.unit}});
  return get_recall(c, ctx.by, r.recall, ctx.at);
}

}  // namespace coldtrace::storage::sql::ops
