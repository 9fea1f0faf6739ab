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
    return must(l->verify(c.signed_code, start)).verdict;
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

TEST_CASE("statistics count what happened in the period only", "[storage]") {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 2'000'000);
  f.hand_over(in.code.id, f.warehouse, f.shop, 1'000);
  const auto end_of_day = f.now();
  must(f.ledger->verify(in.code.signed_code, end_of_day));
  must(f.ledger->verify(in.code.signed_code, end_of_day + std::chrono::days{3}));
  f.ledger->close();  // folds the verification counters in
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
  CHECK(later.intake[0].lots + later.intake[1].lots + later.intake[2].lots == 0);
}
