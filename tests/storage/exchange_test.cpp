// What the platforms above and people take out of the ledger: the change feed, the exports and
// the lifecycle steps EPCIS documents are made of. Not [sqlite]: the ctest entries
// test_storage:pg:<case> run each of these on PostgreSQL too.
#include "storage/exports.hpp"
#include "storage/supply.hpp"
#include "tests/storage/fixture.hpp"

#include <map>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

export_query everything(fixture& f) {
  export_query q;
  q.kinds.assign(all_export_kinds.begin(), all_export_kinds.end());
  q.from = f.now() - 24h;
  q.to = f.now() + 24h;
  return q;
}

std::map<export_kind, std::size_t> rows_by_kind(const std::vector<export_table>& tables) {
  std::map<export_kind, std::size_t> n;
  for (const auto& t : tables) n[t.kind] = t.rows.size();
  return n;
}

}  // namespace

TEST_CASE("the feed pages the whole chain with its head, each event linked to the one before",
          "[storage][exchange]") {
  fixture f;
  f.released_lot();
  const auto all = must(f.ledger->feed(f.inspector, {0, 1000}));
  REQUIRE(all.events.size() > 10);
  CHECK(all.head_seq == all.events.back().seq);
  CHECK(all.head_hash == all.events.back().hash);
  event_seq after = 0;
  bytes prev(32, 0);
  std::size_t seen = 0;
  for (;;) {
    const auto page = must(f.ledger->feed(f.admin, {after, 3}));
    CHECK(page.head_seq == all.head_seq);
    if (page.events.empty()) break;
    CHECK(page.events.size() <= 3);
    for (const auto& e : page.events) {
      CHECK(e.seq == static_cast<event_seq>(++seen));
      CHECK(e.prev_hash == prev);
      prev = e.hash;
    }
    after = page.events.back().seq;
  }
  CHECK(seen == all.events.size());
  // A consumer that has seen a longer chain, or a caller that may not read it.
  CHECK_ERRC(f.ledger->feed(f.admin, {all.head_seq + 1, 10}), errc::invalid_input);
  CHECK_ERRC(f.ledger->feed(f.warehouse, {0, 10}), errc::forbidden);
}

TEST_CASE("exports hold a period's records of every kind, a lot's, and only what the caller sees",
          "[storage][exchange]") {
  fixture f;
  const auto a = f.released_lot();
  const auto child = f.hand_over(a.code.id, f.warehouse, f.shop, 200'000);
  must(f.ledger->sale_check(f.as(f.shop), {child.signed_code, f.shop_unit, 1'000}));
  f.intake();  // another lot, held

  auto n = rows_by_kind(must(f.ledger->export_records(f.inspector, everything(f))));
  CHECK(n[export_kind::lots] == 2);
  CHECK(n[export_kind::tests] == 1);
  CHECK(n[export_kind::disinfections] == 1);
  CHECK(n[export_kind::codes] == 3);  // two root codes and the shop's
  CHECK(n[export_kind::dispatches] == 1);
  CHECK(n[export_kind::receipts] == 1);
  CHECK(n[export_kind::sales] == 1);

  // A period before all of it: every table empty, headers only.
  auto before = everything(f);
  before.to = before.from + 1h;
  for (const auto& t : must(f.ledger->export_records(f.admin, before))) CHECK(t.rows.empty());

  // A unit: its own records; another unit's are forbidden.
  auto shop = everything(f);
  shop.unit = f.shop_unit;
  n = rows_by_kind(must(f.ledger->export_records(f.shop, shop)));
  CHECK(n[export_kind::sales] == 1);
  CHECK(n[export_kind::receipts] == 1);
  CHECK(n[export_kind::lots] == 0);
  shop.unit = f.canteen_unit;
  CHECK_ERRC(f.ledger->export_records(f.shop, shop), errc::forbidden);

  // Everything about one lot, whatever the period; nothing for a unit that never touched it.
  auto lot = everything(f);
  lot.lot = a.lot.id;
  lot.from = lot.to;  // not applied
  n = rows_by_kind(must(f.ledger->export_records(f.inspector, lot)));
  CHECK(n[export_kind::lots] == 1);
  CHECK(n[export_kind::codes] == 2);
  CHECK(n[export_kind::sales] == 1);
  CHECK_ERRC(f.ledger->export_records(f.canteen, lot), errc::not_found);
}

TEST_CASE("a lot's steps for EPCIS in lifecycle order, with the codes and units they concern",
          "[storage][exchange]") {
  fixture f;
  const auto a = f.released_lot();
  const auto child = f.hand_over(a.code.id, f.warehouse, f.shop, 200'000);
  must(f.ledger->sale_check(f.as(f.shop), {child.signed_code, f.shop_unit, 1'000}));
  must(f.ledger->recall(f.as(f.admin), {a.lot.id, "抽检阳性"}));

  auto q = everything(f);
  q.lot = a.lot.id;
  const auto h = must(f.ledger->supply_steps(f.inspector, q));
  REQUIRE(h.lots.size() == 1);
  CHECK(h.lots[0].id == a.lot.id);
  CHECK(h.lots[0].product == "智利车厘子 JJ级");
  std::vector<step_kind> kinds;
  for (const auto& s : h.steps) kinds.push_back(s.kind);
  CHECK(kinds == std::vector{step_kind::intake, step_kind::sample, step_kind::result,
                             step_kind::disinfection, step_kind::release, step_kind::dispatch,
                             step_kind::receipt, step_kind::sale, step_kind::recall});
  for (std::size_t i = 1; i < h.steps.size(); ++i) CHECK(h.steps[i - 1].at <= h.steps[i].at);
  const auto warehouse = must(f.ledger->get_unit(f.warehouse_unit)).credit_code;
  const auto shop = must(f.ledger->get_unit(f.shop_unit)).credit_code;
  CHECK(h.steps[0].code.id == a.code.id);
  CHECK(h.steps[0].code.signed_code == a.code.signed_code);
  CHECK(h.steps[0].unit == warehouse);
  const auto& dispatch = h.steps[5];
  CHECK(dispatch.code.id == child.id);
  REQUIRE(dispatch.from);
  CHECK(dispatch.from->id == a.code.id);
  CHECK(dispatch.to_unit == shop);
  CHECK(dispatch.quantity_g == 200'000);
  CHECK(h.steps[7].unit == shop);
  CHECK(h.steps[7].quantity_g == 1'000);
  CHECK(h.steps[8].term == "抽检阳性");

  // A period's steps: the same, and a unit sees its own only.
  auto period = everything(f);
  CHECK(must(f.ledger->supply_steps(f.admin, period)).steps.size() == h.steps.size());
  period.unit = f.shop_unit;
  const auto mine = must(f.ledger->supply_steps(f.shop, period));
  for (const auto& s : mine.steps) CHECK((s.unit == shop || s.to_unit == shop));
  CHECK(!mine.steps.empty());
  CHECK_ERRC(f.ledger->supply_steps(f.canteen, q), errc::not_found);
}
