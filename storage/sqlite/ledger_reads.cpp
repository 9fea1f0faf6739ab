// The SQLite ledger's reads: each on a leased reader connection.
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/exports.hpp"
#include "storage/sqlite/ledger_impl.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/supply.hpp"

namespace coldtrace::storage::sql {
namespace {

constexpr std::int64_t max_page = 1000;

std::optional<error> check_page(page& p) {
  if (p.limit <= 0 || p.limit > max_page)
    return fail(errc::invalid_input, "a page holds 1 to " + std::to_string(max_page) + " rows");
  if (p.after < 0) return fail(errc::invalid_input, "a page starts after a row id >= 0");
  return std::nullopt;
}

}  // namespace

result<actor> ledger_impl::authenticate(std::string_view token) {
  return read([&](connection& c) { return ops::authenticate(c, token); });
}

result<verification> ledger_impl::verify(bytes_view code) {
  return read([&](connection& c) { return ops::verify(c, code); });
}

result<verification> ledger_impl::verify_scan(const scan& s, std::optional<unit_id> at_unit) {
  return read([&](connection& c) { return ops::verify_scan(c, s, at_unit); });
}

result<blocked_list> ledger_impl::blocked() {
  return read([&](connection& c) { return ops::blocked(c); });
}

result<unit_record> ledger_impl::get_unit(unit_id id) {
  return read([&](connection& c) -> result<unit_record> {
    auto u = find_unit(c, id);
    if (!u) return no_such("unit", id);
    return std::move(*u);
  });
}

result<std::vector<unit_record>> ledger_impl::list_units(page p) {
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) { return ops::list_units(c, p); });
}

result<std::vector<unit_record>> ledger_impl::find_units(std::string_view text, page p) {
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) { return ops::find_units(c, text, p); });
}

result<std::vector<account_record>> ledger_impl::list_accounts(const actor& by, unit_id unit) {
  return read([&](connection& c) { return ops::list_accounts(c, by, unit); });
}

result<lot_detail> ledger_impl::get_lot(const actor& by, lot_id lot) {
  return read([&](connection& c) { return ops::get_lot(c, by, lot); });
}

result<std::vector<lot_record>> ledger_impl::list_lots(const actor& by, const lot_filter& f,
                                                       page p) {
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) { return ops::list_lots(c, by, f, p); });
}

result<code_record> ledger_impl::get_code(const actor& by, code_id code) {
  return read([&](connection& c) { return ops::get_code(c, by, code); });
}

result<std::vector<code_record>> ledger_impl::list_codes(const actor& by,
                                                         std::optional<code_status> s, page p) {
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) { return ops::list_codes(c, by, s, p); });
}

result<std::vector<sale_record>> ledger_impl::list_sales(const actor& by, page p) {
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) { return ops::list_sales(c, by, p); });
}

result<trace_result> ledger_impl::trace_code(const actor& by, code_id code) {
  return read([&](connection& c) { return ops::trace_code(c, by, code); });
}

result<trace_result> ledger_impl::trace_lot(const actor& by, lot_id lot) {
  return read([&](connection& c) { return ops::trace_lot(c, by, lot); });
}

result<std::vector<inspection_record>> ledger_impl::list_inspections(const actor& by,
                                                                     std::optional<unit_id> unit,
                                                                     page p) {
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) { return ops::list_inspections(c, by, unit, p); });
}

result<unit_stock> ledger_impl::stock(const actor& by, unit_id unit) {
  return read([&](connection& c) { return ops::stock(c, by, unit); });
}

result<unit_day> ledger_impl::counter_day(const actor& by, unit_id unit, time_point from,
                                          time_point to) {
  return read([&](connection& c) { return ops::counter_day(c, by, unit, from, to); });
}

result<stats_report> ledger_impl::stats(const actor& by, stats_range range) {
  return read([&](connection& c) { return ops::stats(c, by, range); });
}

result<std::vector<event_record>> ledger_impl::list_events(const actor& by, page p) {
  if (!reads_everything(by))
    return fail(errc::forbidden, "the audit chain is for the bureau's admins and inspectors");
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) { return sql::list_events(c, p.after, p.limit); });
}

result<event_feed> ledger_impl::feed(const actor& by, page p) {
  if (!reads_everything(by))
    return fail(errc::forbidden, "the change feed is for the bureau's admins and inspectors");
  if (auto e = check_page(p)) return *e;
  return read([&](connection& c) -> result<event_feed> {
    transaction snapshot{c};
    event_feed f;
    if (auto q = c.query("SELECT seq, hash FROM chain_head WHERE id = 1"); q.step()) {
      f.head_seq = q.int64(0);
      f.head_hash = q.blob(1);
    }
    if (p.after > f.head_seq)
      return fail(errc::invalid_input,
                  "\"after\" is " + std::to_string(p.after) + " but the chain ends at event " +
                      std::to_string(f.head_seq) +
                      ": this is not the history you read before (a restored or another"
                      " database?)");
    f.events = sql::list_events(c, p.after, p.limit);
    return f;
  });
}

result<std::vector<export_table>> ledger_impl::export_records(const actor& by, export_query q) {
  if (!reads_everything(by)) {
    if (q.unit && *q.unit != by.unit)
      return fail(errc::forbidden, "a unit exports its own records only");
    q.unit = by.unit;
  }
  if (!q.lot && q.from >= q.to) return fail(errc::invalid_input, "the period is empty");
  return read([&](connection& c) -> result<std::vector<export_table>> {
    auto tables = sql::export_tables(c, q);
    if (q.lot &&
        (tables.empty() || tables.front().kind != export_kind::lots || tables.front().rows.empty()))
      return fail(errc::not_found, "no lot " + std::to_string(*q.lot));
    return tables;
  });
}

result<supply_history> ledger_impl::supply_steps(const actor& by, export_query q) {
  if (!reads_everything(by)) {
    if (q.unit && *q.unit != by.unit)
      return fail(errc::forbidden, "a unit exports its own records only");
    q.unit = by.unit;
  }
  if (!q.lot && q.from >= q.to) return fail(errc::invalid_input, "the period is empty");
  return read([&](connection& c) -> result<supply_history> {
    auto h = sql::supply_steps(c, q);
    const auto intake = [](const supply_step& s) { return s.kind == step_kind::intake; };
    if (q.lot && std::none_of(h.steps.begin(), h.steps.end(), intake))
      return fail(errc::not_found, "no lot " + std::to_string(*q.lot));
    return h;
  });
}

result<chain_report> ledger_impl::verify_chain() {
  return read([&](connection& c) {
    transaction snapshot{c};
    return sql::verify_chain(c);
  });
}

result<checkpoint> ledger_impl::latest_checkpoint() {
  return read([&](connection& c) -> result<checkpoint> {
    auto q =
        c.query("SELECT seq, hash, at, kid, signature FROM checkpoints ORDER BY seq DESC LIMIT 1");
    if (!q.step())
      return fail(errc::not_found,
                  "no checkpoint has been signed yet (coldtrace audit checkpoint signs one)");
    return checkpoint{q.int64(0), q.blob(1), q.int64(2), q.text(3), q.text(4)};
  });
}

commit_stats ledger_impl::writer_stats() const {
  auto s = writer_->stats();
  const auto w = wal_.stats();
  s.wal_pages = w.frames;
  s.checkpoints = w.checkpoints;
  s.checkpoints_busy = w.checkpoints_busy;
  return s;
}

}  // namespace coldtrace::storage::sql
