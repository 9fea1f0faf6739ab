// Issue 9 §2: what a verification gives anyone, and the scans of copied labels.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

TEST_CASE("a verification carries each test and the disinfection, nothing of the network",
          "[storage]") {
  fixture f;
  auto in = f.intake("imported_fruit", 2'000'000);
  // One sample still at the lab, one with its result.
  must(f.ledger->add_sample(f.as(f.warehouse),
                            {in.lot.id, sample_type::environment, f.now(), "李娜"}));
  f.clear_for_release(in.lot.id);

  auto v = must(f.ledger->verify(in.code.signed_code));
  REQUIRE(v.facts);
  REQUIRE(v.facts->tests.size() == 2);
  CHECK(v.facts->tests[0].type == sample_type::environment);
  CHECK_FALSE(v.facts->tests[0].outcome);
  CHECK(v.facts->tests[0].lab.empty());
  CHECK(v.facts->tests[1].type == sample_type::food_surface);
  CHECK(v.facts->tests[1].outcome == test_outcome::negative);
  CHECK(v.facts->tests[1].lab == "上海市疾控中心");
  CHECK(v.facts->tests[1].reported_at.has_value());
  CHECK(v.facts->samples == 2);
  CHECK(v.facts->negative == 1);
  CHECK(v.facts->positive == 0);
  CHECK(v.facts->last_disinfection_agent == "过氧乙酸 0.2%");
  CHECK(v.facts->holder == f.warehouse_unit);
}

TEST_CASE("a scan under a foreign host is judged forged, at a sale and in an inspection",
          "[storage]") {
  fixture f;
  auto in = f.released_lot();
  auto at_shop = f.hand_over(in.code.id, f.warehouse, f.shop, 10'000);
  const auto events = f.scalar("SELECT count(*) FROM events");

  auto copied = scan::under_foreign_host();
  auto check = must(f.ledger->sale_check(f.as(f.shop), {copied, f.shop_unit, 1'000}));
  CHECK(check.verdict == verdict::forged);
  CHECK_FALSE(check.code);
  CHECK_FALSE(check.sale);
  CHECK(check.remaining_g == 0);  // nothing of the genuine code's stock
  CHECK(must(f.ledger->get_code(f.shop, at_shop.id)).remaining_g == 10'000);
  CHECK(f.scalar("SELECT count(*) FROM sale_checks WHERE verdict = 'forged'") == 1);

  auto i = must(f.ledger->record_inspection(
      f.as(f.inspector), {f.shop_unit, {at_shop.signed_code, copied}, 0, "复制标签"}));
  REQUIRE(i.codes.size() == 2);
  CHECK(i.codes[0].verdict == verdict::valid);
  CHECK(i.codes[1].verdict == verdict::forged);
  CHECK_FALSE(i.codes[1].code);
  CHECK(f.scalar("SELECT count(*) FROM events") == events + 2);
  CHECK(must(f.ledger->verify_chain()).intact());
}
