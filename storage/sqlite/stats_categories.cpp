// The bureau's figures by category, the units registered and how far recalls got (issue 10).
// Every query starts from an index on the time of the act it counts (lots_by_intake,
// samples_by_time, results_by_time) or from a small table (units, recalls, recall_holders), and
// reaches the lot's category by its primary key: no scan of codes or scans per request. The one
// exception is disinfections, which have no index by time yet (a scan of that table, one row
// per disinfection, as the total has always been counted).
#include "codec/identifiers.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <algorithm>
#include <array>

namespace coldtrace::storage::sql::ops {
namespace {

category_figures& figures_of(stats_report& s, const std::string& category) {
  auto it = std::find_if(s.by_category.begin(), s.by_category.end(),
                         [&](const auto& f) { return f.category == category; });
  if (it == s.by_category.end()) {
    // A category the code no longer lists: still counted, after the known ones.
    s.by_category.push_back(category_figures{.category = category});
    return s.by_category.back();
  }
  return *it;
}

// Runs `sql` over [from, to) and hands each row (category first) to `add`.
template <class F>
void each_category(connection& c, const char* sql, const stats_range& r, stats_report& s, F add) {
  auto q = c.query(sql);
  q.with(seconds(r.from), seconds(r.to));
  while (q.step()) add(figures_of(s, q.text(0)), q);
}

void add_units(connection& c, const stats_range& range, stats_report& s) {
  static constexpr std::array market{unit_kind::warehouse, unit_kind::producer, unit_kind::caterer,
                                     unit_kind::seller};
  for (auto k : market) s.units_new_by_kind.emplace_back(k, 0);
  for (const auto& [k, n] : s.units_by_kind)
    if (k != unit_kind::regulator) s.units_registered += n;
  auto q = c.query(
      "SELECT kind, count(*) FROM units WHERE registered_at >= ? AND registered_at < ?"
      " GROUP BY kind");
  q.with(seconds(range.from), seconds(range.to));
  while (q.step()) {
    const auto kind = q.text(0);
    for (auto& [k, n] : s.units_new_by_kind)
      if (to_string(k) == kind) {
        n = q.int64(1);
        s.units_new += n;
      }
  }
}

void add_recall_progress(connection& c, const stats_range& range, stats_report& s) {
  // Answered: what the holder did is on record before the end of the period.
  auto h = c.query(
      "SELECT count(*), count(CASE WHEN h.acted_at < ?2 THEN 1 END) FROM recall_holders h"
      " JOIN recalls r ON r.id = h.recall_id WHERE r.recalled_at >= ?1 AND r.recalled_at < ?2");
  h.with(seconds(range.from), seconds(range.to));
  h.step();
  s.recall_progress.holders = h.int64(0);
  s.recall_progress.holders_answered = h.int64(1);
  auto done = c.query(
      "SELECT count(*) FROM recalls r WHERE r.recalled_at >= ?1 AND r.recalled_at < ?2"
      " AND NOT EXISTS (SELECT 1 FROM recall_holders h WHERE h.recall_id = r.id"
      "                 AND (h.acted_at IS NULL OR h.acted_at >= ?2))");
  done.with(seconds(range.from), seconds(range.to));
  done.step();
  s.recall_progress.recalls_completed = done.int64(0);
}

}  // namespace

void category_stats(connection& c, const stats_range& range, stats_report& s) {
  for (const auto& cat : codec::categories())
    s.by_category.push_back(category_figures{.category = std::string{cat.name}});
  for (const auto& in : s.intake) {
    auto& f = figures_of(s, in.category);
    f.lots = in.lots;
    f.net_weight_g = in.net_weight_g;
  }
  each_category(c,
                "SELECT l.category, count(*), count(*) - count(r.sample_id) FROM samples s"
                " JOIN lots l ON l.id = s.lot_id LEFT JOIN results r ON r.sample_id = s.id"
                " WHERE s.collected_at >= ? AND s.collected_at < ? GROUP BY l.category",
                range, s, [](category_figures& f, const statement& q) {
                  f.samples_taken = q.int64(1);
                  f.results_pending = q.int64(2);
                });
  each_category(c,
                "SELECT l.category, r.outcome, count(*) FROM results r"
                " JOIN samples s ON s.id = r.sample_id JOIN lots l ON l.id = s.lot_id"
                " WHERE r.reported_at >= ? AND r.reported_at < ? GROUP BY l.category, r.outcome",
                range, s, [](category_figures& f, const statement& q) {
                  (q.text(1) == "positive" ? f.results_positive : f.results_negative) = q.int64(2);
                });
  // A lot is quarantined in the period its first positive result was reported.
  each_category(c,
                "SELECT l.category, count(DISTINCT s.lot_id) FROM results r"
                " JOIN samples s ON s.id = r.sample_id JOIN lots l ON l.id = s.lot_id"
                " WHERE r.reported_at >= ?1 AND r.reported_at < ?2 AND r.outcome = 'positive'"
                " AND NOT EXISTS (SELECT 1 FROM samples s2 JOIN results r2 ON r2.sample_id = s2.id"
                "   WHERE s2.lot_id = s.lot_id AND r2.outcome = 'positive'"
                "   AND r2.reported_at < ?1) GROUP BY l.category",
                range, s,
                [](category_figures& f, const statement& q) { f.lots_quarantined = q.int64(1); });
  each_category(c,
                "SELECT l.category, count(*) FROM disinfections d JOIN lots l ON l.id = d.lot_id"
                " WHERE d.performed_at >= ? AND d.performed_at < ? GROUP BY l.category",
                range, s,
                [](category_figures& f, const statement& q) { f.disinfections = q.int64(1); });
  each_category(c,
                "SELECT l.category, count(*) FROM recalls r JOIN lots l ON l.id = r.lot_id"
                " WHERE r.recalled_at >= ? AND r.recalled_at < ? GROUP BY l.category",
                range, s, [](category_figures& f, const statement& q) { f.recalls = q.int64(1); });
  add_units(c, range, s);
  add_recall_progress(c, range, s);
}

}  // namespace coldtrace::storage::sql::ops
