// The bureau's figures by category, units registered and recall progress (issue 10): exact on
// known data, the categories adding up to the totals, and each act counted in its own period.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

const category_figures& category(const stats_report& s, std::string_view name) {
  for (const auto& f : s.by_category)
    if (f.category == name) return f;
  FAIL("no category " << name);
  throw;
}

std::int64_t new_units(const stats_report& s, unit_kind k) {
  for (const auto& [kind, n] : s.units_new_by_kind)
    if (kind == k) return n;
  return -1;
}

sample_record sample(fixture& f, lot_id lot) {
  return must(f.ledger->add_sample(f.as(f.warehouse),
                                   {lot, sample_type::outer_packaging, f.now(), "张伟"}));
}

void result(fixture& f, sample_id s, test_outcome o) {
  must(f.ledger->record_result(f.as(f.warehouse), {s, o, "上海市疾控中心", "HS-1", f.now()}));
}

void disinfect(fixture& f, lot_id lot) {
  must(f.ledger->record_disinfection(f.as(f.warehouse), {lot, "过氧乙酸", f.now(), "张伟", "XD"}));
}

// Fruit: one lot released (a sample, negative, a disinfection). Frozen: a lot with a negative,
// a positive and a pending sample and two disinfections, and a released lot of which the shop
// got 100 kg, then recalled. A canteen registered.
struct city {
  intake_result fruit, frozen, frozen2;
  time_point fruit_done{}, recalled{}, shop_answered{};
  std::int64_t recall = 0;
};

city make_city(fixture& f) {
  city c;
  c.fruit = f.released_lot("imported_fruit", 1'000'000);
  c.fruit_done = f.now() + std::chrono::seconds{1};
  c.frozen = f.intake("domestic_frozen", 2'500'000);
  result(f, sample(f, c.frozen.lot.id).id, test_outcome::negative);
  const auto pos = sample(f, c.frozen.lot.id);
  sample(f, c.frozen.lot.id);  // no result yet
  disinfect(f, c.frozen.lot.id);
  disinfect(f, c.frozen.lot.id);
  result(f, pos.id, test_outcome::positive);
  c.frozen2 = f.released_lot("domestic_frozen", 500'000);
  f.hand_over(c.frozen2.code.id, f.warehouse, f.shop, 100'000);
  c.recall = must(f.ledger->recall(f.as(f.admin), {c.frozen2.lot.id, "阳性"})).recall.id;
  c.recalled = f.now();
  must(f.ledger->respond_recall(f.as(f.shop), {c.recall, 100'000, 0, 0, "已封存"}));
  c.shop_answered = f.now();
  must(f.ledger->register_unit(
      f.as(actor::local_admin()),
      {with_check_character("12310000MB1H00099"), "第二中学食堂", unit_kind::caterer, "上海市"}));
  return c;
}

}  // namespace

TEST_CASE("statistics by category are exact and add up to the totals", "[storage][stats]") {
  fixture f;
  const auto c = make_city(f);
  const time_point day0 = std::chrono::floor<std::chrono::days>(f.now());
  const auto s = must(f.ledger->stats(f.admin, {day0, day0 + std::chrono::days{1}}));

  REQUIRE(s.by_category.size() == 3);  // every known category, in the code's order
  CHECK(s.by_category[1].category == "imported_ambient");
  CHECK(s.by_category[1].lots == 0);
  CHECK(s.by_category[1].samples_taken == 0);

  const auto& fruit = category(s, "imported_fruit");
  CHECK(fruit.lots == 1);
  CHECK(fruit.net_weight_g == 1'000'000);
  CHECK(fruit.samples_taken == 1);
  CHECK(fruit.results_negative == 1);
  CHECK(fruit.results_positive == 0);
  CHECK(fruit.results_pending == 0);
  CHECK(fruit.disinfections == 1);
  CHECK(fruit.lots_quarantined == 0);
  CHECK(fruit.recalls == 0);

  const auto& frozen = category(s, "domestic_frozen");
  CHECK(frozen.lots == 2);
  CHECK(frozen.net_weight_g == 3'000'000);
  CHECK(frozen.samples_taken == 4);
  CHECK(frozen.results_negative == 2);
  CHECK(frozen.results_positive == 1);
  CHECK(frozen.results_pending == 1);
  CHECK(frozen.disinfections == 3);
  CHECK(frozen.lots_quarantined == 1);
  CHECK(frozen.recalls == 1);

  // The totals are the sums.
  CHECK(s.samples_taken == 5);
  CHECK(s.results_negative == 3);
  CHECK(s.results_positive == 1);
  CHECK(s.disinfections == 4);
  CHECK(s.lots_quarantined == 1);
  CHECK(s.recalls == 1);

  // Market units: two warehouses, two sellers, two canteens (the bureau is not one).
  CHECK(s.units_registered == 6);
  CHECK(s.units_new == 6);
  REQUIRE(s.units_new_by_kind.size() == 4);
  CHECK(new_units(s, unit_kind::warehouse) == 2);
  CHECK(new_units(s, unit_kind::seller) == 2);
  CHECK(new_units(s, unit_kind::caterer) == 2);
  CHECK(new_units(s, unit_kind::producer) == 0);

  // The recall's holders: the warehouse (400 kg) has not answered, the shop has.
  CHECK(s.recall_progress.holders == 2);
  CHECK(s.recall_progress.holders_answered == 1);
  CHECK(s.recall_progress.recalls_completed == 0);
}

TEST_CASE("statistics by category count each act in its own period", "[storage][stats]") {
  fixture f;
  const auto c = make_city(f);
  const time_point day0 = std::chrono::floor<std::chrono::days>(f.now());

  // Up to the fruit lot's release: nothing frozen yet.
  auto early = must(f.ledger->stats(f.admin, {day0, c.fruit_done}));
  CHECK(category(early, "imported_fruit").lots == 1);
  CHECK(category(early, "imported_fruit").disinfections == 1);
  CHECK(category(early, "domestic_frozen").lots == 0);
  CHECK(category(early, "domestic_frozen").samples_taken == 0);
  CHECK(early.recalls == 0);

  // The recall's period ends before the shop answered, then just after.
  auto before = must(f.ledger->stats(f.admin, {day0, c.shop_answered}));
  CHECK(before.recalls == 1);
  CHECK(before.recall_progress.holders == 2);
  CHECK(before.recall_progress.holders_answered == 0);
  auto after = must(f.ledger->stats(f.admin, {day0, c.shop_answered + std::chrono::seconds{1}}));
  CHECK(after.recall_progress.holders_answered == 1);

  // A period after it all: nothing happened, the units are still registered, and a recall
  // made before the period is not the period's.
  auto next =
      must(f.ledger->stats(f.admin, {day0 + std::chrono::days{1}, day0 + std::chrono::days{2}}));
  for (const auto& cat : next.by_category) {
    INFO(cat.category);
    CHECK(cat.lots + cat.samples_taken + cat.results_negative + cat.results_positive +
              cat.results_pending + cat.disinfections + cat.recalls ==
          0);
  }
  CHECK(next.units_registered == 6);
  CHECK(next.units_new == 0);
  CHECK(next.recall_progress.holders == 0);
}

TEST_CASE("a recall is completed when every holder has answered", "[storage][stats]") {
  fixture f;
  const auto c = make_city(f);
  must(f.ledger->respond_recall(f.as(f.warehouse), {c.recall, 400'000, 0, 0, "封存"}));
  // A recall whose lot nobody holds any more than the warehouse, answered at once.
  auto fruit_recall = must(f.ledger->recall(f.as(f.admin), {c.fruit.lot.id, "抽检"})).recall.id;
  must(f.ledger->respond_recall(f.as(f.warehouse), {fruit_recall, 1'000'000, 0, 0, ""}));
  const time_point day0 = std::chrono::floor<std::chrono::days>(f.now());
  const auto s = must(f.ledger->stats(f.admin, {day0, day0 + std::chrono::days{1}}));
  CHECK(s.recalls == 2);
  CHECK(category(s, "imported_fruit").recalls == 1);
  CHECK(s.recall_progress.holders == 3);
  CHECK(s.recall_progress.holders_answered == 3);
  CHECK(s.recall_progress.recalls_completed == 2);
}
