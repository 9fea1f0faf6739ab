// The demo data: the whole flow, every category, a recall, inspections with findings.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

TEST_CASE("demo data covers the whole lifecycle and keeps every rule", "[storage][sqlite]") {
  temp_dir dir;
  sqlite_options o;
  o.file = dir.path / "demo.db";
  o.signing_key = std::make_shared<codec::signing_key>(codec::signing_key::generate().value());
  auto l = must(sqlite_ledger::open(o));
  const time_point start{std::chrono::sys_days{std::chrono::year{2024} / 6 / 1}};
  auto d = must(populate_demo(*l, start));
  CHECK(d.units == 11);
  CHECK(d.lots == 12);
  CHECK(d.sales > 50);
  CHECK(d.admin_token.size() == 46);
  REQUIRE(d.sample_codes.size() == 3);

  const auto admin = must(l->authenticate(d.admin_token));
  CHECK(admin.role == account_role::admin);
  auto verdict_of = [&](code_id id) {
    auto c = must(l->get_code(admin, id));
    return must(l->verify(c.signed_code)).verdict;
  };
  CHECK(verdict_of(d.sample_codes[0]) == verdict::valid);
  CHECK(verdict_of(d.sample_codes[1]) == verdict::not_released);
  CHECK(verdict_of(d.sample_codes[2]) == verdict::recalled);

  auto s = must(l->stats(admin, {start, start + std::chrono::days{31}}));
  for (const auto& c : s.intake) {
    INFO(c.category);
    CHECK(c.lots > 0);
  }
  CHECK(s.results_positive == 1);
  CHECK(s.results_negative > 20);
  CHECK(s.recalls == 1);
  CHECK(s.lots_quarantined == 1);
  CHECK(s.inspections == 3);
  CHECK(s.uncoded_items == 3);
  CHECK(s.codes_issued == d.codes);
  CHECK(s.sales == d.sales);
  bool wrong_holder_found = false;
  for (const auto& [v, n] : s.sale_checks_denied) wrong_holder_found |= v == verdict::wrong_holder;
  CHECK(wrong_holder_found);
  for (const auto& [kind, n] : s.units_by_kind) {
    INFO(to_string(kind));
    CHECK(n > 0);
  }
  CHECK(must(l->verify_chain()).intact());
  CHECK_ERRC(populate_demo(*l, start), errc::duplicate);

  // The chain reads like the month it records: in time order.
  CHECK(scalar_on(o.file,
                  "SELECT count(*) FROM events a JOIN events b ON b.seq = a.seq + 1"
                  " WHERE b.at < a.at") == 0);
  // Shoppers' scans are counted (folded into the database by the writer, at the latest on close).
  l->close();
  l = must(sqlite_ledger::open(o));
  CHECK(must(l->stats(admin, {start, start + std::chrono::days{31}})).verifications > 100);
}

TEST_CASE("scans are counted by kind, with the distinct codes scanned", "[storage]") {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 2'000'000);
  const auto child = f.hand_over(in.code.id, f.warehouse, f.shop, 1'000);
  const auto at = f.now();
  // A shopper scans the shop's code three times, another shopper the lot's once; an inspector
  // scans the shop's code; the shop's counter checks it; a forged label is scanned (no code).
  for (int i = 0; i < 3; ++i)
    f.ledger->count_scan(at, scan_kind::consumer, verdict::valid, child.id);
  f.ledger->count_scan(at, scan_kind::consumer, verdict::exhausted, in.code.id);
  f.ledger->count_scan(at, scan_kind::inspector, verdict::wrong_holder, child.id);
  f.ledger->count_scan(at, scan_kind::counter, verdict::valid, child.id);
  f.ledger->count_scan(at, scan_kind::consumer, verdict::forged, std::nullopt);
  f.ledger->close();
  f.reopen();
  const time_point day0 = std::chrono::floor<std::chrono::days>(at);
  const auto s = must(f.ledger->stats(f.admin, {day0, day0 + std::chrono::days{1}}));
  CHECK(s.verifications == 7);
  CHECK(s.codes_scanned == 2);
  REQUIRE(s.scans_by_kind.size() == 3);
  CHECK(s.scans_by_kind[0].kind == scan_kind::consumer);
  CHECK(s.scans_by_kind[0].scans == 5);
  CHECK(s.scans_by_kind[0].codes == 2);
  CHECK(s.scans_by_kind[1].kind == scan_kind::inspector);
  CHECK(s.scans_by_kind[1].scans == 1);
  CHECK(s.scans_by_kind[1].codes == 1);
  CHECK(s.scans_by_kind[2].kind == scan_kind::counter);
  CHECK(s.scans_by_kind[2].scans == 1);
  CHECK(s.scans_by_kind[2].codes == 1);
  const auto valid =
      std::find_if(s.verifications_by_verdict.begin(), s.verifications_by_verdict.end(),
                   [](auto& p) { return p.first == verdict::valid; });
  REQUIRE(valid != s.verifications_by_verdict.end());
  CHECK(valid->second == 4);
  // Nothing the next day.
  const auto next =
      must(f.ledger->stats(f.admin, {day0 + std::chrono::days{1}, day0 + std::chrono::days{2}}));
  CHECK(next.verifications == 0);
  CHECK(next.codes_scanned == 0);
}

TEST_CASE("statistics count what happened in the period only", "[storage]") {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 2'000'000);
  f.hand_over(in.code.id, f.warehouse, f.shop, 1'000);
  const auto end_of_day = f.now();
  f.ledger->count_scan(end_of_day, scan_kind::consumer, verdict::valid, in.code.id);
  f.ledger->count_scan(end_of_day + std::chrono::days{3}, scan_kind::consumer, verdict::valid,
                       in.code.id);
  f.ledger->close();  // folds the scan counters in
  f.reopen();
  const time_point day0 = std::chrono::floor<std::chrono::days>(end_of_day);
  auto s = must(f.ledger->stats(f.admin, {day0, day0 + std::chrono::days{1}}));
  const auto frozen = std::find_if(s.intake.begin(), s.intake.end(),
                                   [](auto& c) { return c.category == "domestic_frozen"; });
  REQUIRE(frozen != s.intake.end());
  CHECK(frozen->lots == 1);
  CHECK(frozen->net_weight_g == 2'000'000);
  CHECK(s.samples_taken == 1);
  CHECK(s.results_negative == 1);
  CHECK(s.lots_released == 1);
  CHECK(s.disinfections == 1);
  CHECK(s.codes_issued == 2);
  CHECK(s.verifications == 1);
  auto later =
      must(f.ledger->stats(f.admin, {day0 + std::chrono::days{1}, day0 + std::chrono::days{5}}));
  CHECK(later.codes_issued == 0);
  CHECK(later.disinfections == 0);
  CHECK(later.verifications == 1);
  CHECK(later.codes_scanned == 1);
  CHECK(later.intake[0].lots + later.intake[1].lots + later.intake[2].lots == 0);
}
