// The figures a bureau puts in its report, over [from, to).
#include "codec/identifiers.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/ops_findings.hpp"
#include "storage/sqlite/rows.hpp"

#include <algorithm>
#include <array>

namespace coldtrace::storage::sql::ops {
namespace {

std::int64_t count(connection& c, const char* sql, const stats_range& r) {
  auto q = c.query(sql);
  q.with(seconds(r.from), seconds(r.to));
  q.step();
  return q.int64(0);
}

std::int64_t day_of(time_point t) {
  return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
}

// Scans are counted per day: the whole days whose start is in the period.
void scan_stats(connection& c, const stats_range& range, stats_report& s) {
  const auto first = day_of(range.from + std::chrono::days{1} - std::chrono::seconds{1});
  const auto end = day_of(range.to - std::chrono::seconds{1}) + 1;
  {
    auto q = c.query(
        "SELECT verdict, sum(n) FROM scan_counts WHERE day >= ? AND day < ?"
        " GROUP BY verdict ORDER BY verdict");
    q.with(first, end);
    while (q.step()) {
      const auto n = q.int64(1);
      s.verifications += n;
      s.verifications_by_verdict.emplace_back(
          verdict_from_string(q.text(0)).value_or(verdict::unknown), n);
    }
  }
  // Every kind, zero rows included; 'unclassified' counts (before migration 9) have no kind.
  s.scans_by_kind = {{scan_kind::consumer}, {scan_kind::inspector}, {scan_kind::counter}};
  const auto figures_of = [&](std::string_view kind) -> scan_figures* {
    for (auto& f : s.scans_by_kind)
      if (to_string(f.kind) == kind) return &f;
    return nullptr;
  };
  {
    auto q =
        c.query("SELECT kind, sum(n) FROM scan_counts WHERE day >= ? AND day < ? GROUP BY kind");
    q.with(first, end);
    while (q.step())
      if (auto* f = figures_of(q.text(0))) f->scans = q.int64(1);
  }
  {
    auto q = c.query(
        "SELECT kind, count(DISTINCT code_id) FROM code_scans WHERE day >= ? AND day < ?"
        " GROUP BY kind");
    q.with(first, end);
    while (q.step())
      if (auto* f = figures_of(q.text(0))) f->codes = q.int64(1);
  }
  auto d = c.query("SELECT count(DISTINCT code_id) FROM code_scans WHERE day >= ? AND day < ?");
  d.with(first, end);
  d.step();
  s.codes_scanned = d.int64(0);
}

}  // namespace

result<stats_report> stats(connection& c, const actor& by, const stats_range& range) {
  if (!reads_everything(by))
    return fail(errc::forbidden, "statistics are for the bureau's admins and inspectors");
  if (range.to <= range.from)
    return fail(errc::invalid_input, "the end of the period must be after its start");
  transaction snapshot{c};
  stats_report s;
  s.range = range;
  for (const auto& cat : codec::categories())
    s.intake.push_back(category_intake{std::string{cat.name}, 0, 0});
  {
    auto q = c.query(
        "SELECT category, count(*), sum(net_weight_g) FROM lots"
        " WHERE intake_at >= ? AND intake_at < ? GROUP BY category");
    q.with(seconds(range.from), seconds(range.to));
    while (q.step()) {
      const auto name = q.text(0);
      auto it = std::find_if(s.intake.begin(), s.intake.end(),
                             [&](const auto& ci) { return ci.category == name; });
      if (it == s.intake.end()) it = s.intake.insert(s.intake.end(), category_intake{name, 0, 0});
      it->lots = q.int64(1);
      it->net_weight_g = q.int64(2);
    }
  }
  s.lots_released =
      count(c, "SELECT count(*) FROM lots WHERE released_at >= ? AND released_at < ?", range);
  s.codes_issued =
      count(c, "SELECT count(*) FROM codes WHERE issued_at >= ? AND issued_at < ?", range);
  scan_stats(c, range, s);
  {
    auto q = c.query(
        "SELECT verdict, count(*) FROM sale_checks WHERE checked_at >= ? AND checked_at < ?"
        " GROUP BY verdict ORDER BY verdict");
    q.with(seconds(range.from), seconds(range.to));
    while (q.step()) {
      const auto v = verdict_from_string(q.text(0)).value_or(verdict::unknown);
      s.sale_checks += q.int64(1);
      if (v != verdict::valid) s.sale_checks_denied.emplace_back(v, q.int64(1));
    }
  }
  {
    auto q = c.query(
        "SELECT count(*), coalesce(sum(quantity_g), 0) FROM sales"
        " WHERE sold_at >= ? AND sold_at < ?");
    q.with(seconds(range.from), seconds(range.to));
    q.step();
    s.sales = q.int64(0);
    s.sold_g = q.int64(1);
  }
  {
    static constexpr std::array kinds{unit_kind::warehouse, unit_kind::producer, unit_kind::caterer,
                                      unit_kind::seller, unit_kind::regulator};
    for (auto k : kinds) {
      auto n = c.query("SELECT count(*) FROM units WHERE kind = ? AND registered_at < ?");
      n.with(to_string(k), seconds(range.to));
      n.step();
      s.units_by_kind.emplace_back(k, n.int64(0));
    }
  }
  // The totals of what is counted by category are the categories' sums.
  category_stats(c, range, s);
  for (const auto& f : s.by_category) {
    s.samples_taken += f.samples_taken;
    s.results_negative += f.results_negative;
    s.results_positive += f.results_positive;
    s.lots_quarantined += f.lots_quarantined;
    s.disinfections += f.disinfections;
    s.recalls += f.recalls;
  }
  {
    auto q = c.query(
        "SELECT count(*), coalesce(sum(uncoded_items), 0),"
        " coalesce(sum((SELECT count(*) FROM inspection_codes ic"
        "               WHERE ic.inspection_id = i.id)), 0)"
        " FROM inspections i WHERE inspected_at >= ? AND inspected_at < ?");
    q.with(seconds(range.from), seconds(range.to));
    q.step();
    s.inspections = q.int64(0);
    s.uncoded_items = q.int64(1);
    s.inspected_codes = q.int64(2);
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  s.findings = count_findings(c, range.from, range.to, std::min<time_point>(range.to, now));
  return s;
}

void add_scan_counts(connection& c, const scan_tallies& t) {
  for (const auto& [key, n] : t.scans) {
    const auto& [day, kind, v] = key;
    c.query(
         "INSERT INTO scan_counts (day, kind, verdict, n) VALUES (?, ?, ?, ?)"
         " ON CONFLICT (day, kind, verdict) DO UPDATE SET n = scan_counts.n + excluded.n")
        .with(day, to_string(kind), to_string(v), n)
        .run();
  }
  for (const auto& [key, n] : t.codes) {
    const auto& [day, kind, code] = key;
    c.query(
         "INSERT INTO code_scans (day, kind, code_id, n) VALUES (?, ?, ?, ?)"
         " ON CONFLICT (day, kind, code_id) DO UPDATE SET n = code_scans.n + excluded.n")
        .with(day, to_string(kind), code, n)
        .run();
  }
}

}  // namespace coldtrace::storage::sql::ops
