// The reads the server lists and shows: lots, codes, sales, units, accounts, events, pages.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

TEST_CASE("a lot's detail shows its samples, results, disinfections and recall", "[storage]") {
  fixture f;
  auto in = f.released_lot();
  must(f.ledger->recall(f.as(f.admin), {in.lot.id, "抽检阳性"}));
  auto d = must(f.ledger->get_lot(f.warehouse, in.lot.id));
  CHECK(d.lot.product == "智利车厘子 JJ级");
  CHECK(d.lot.recalled_at.has_value());
  REQUIRE(d.samples.size() == 1);
  REQUIRE(d.samples[0].result);
  CHECK(d.samples[0].result->outcome == test_outcome::negative);
  REQUIRE(d.disinfections.size() == 1);
  CHECK(d.disinfections[0].agent == "过氧乙酸 0.2%");
  REQUIRE(d.recall);
  CHECK(d.recall->reason == "抽检阳性");
  CHECK_ERRC(f.ledger->get_lot(f.warehouse, 999), errc::not_found);
}

TEST_CASE("lists are scoped to the caller's unit and paged by id", "[storage]") {
  fixture f;
  auto a = f.released_lot();
  auto b = f.intake();
  auto mine = must(f.ledger->list_lots(f.warehouse, {}, {}));
  CHECK(mine.size() == 2);
  CHECK(must(f.ledger->list_lots(f.warehouse2, {}, {})).empty());
  CHECK(must(f.ledger->list_lots(f.inspector, {}, {})).size() == 2);
  lot_filter held_only;
  held_only.status = lot_status::held;
  auto held = must(f.ledger->list_lots(f.warehouse, held_only, {}));
  REQUIRE(held.size() == 1);
  CHECK(held[0].id == b.lot.id);
  auto first = must(f.ledger->list_lots(f.warehouse, {}, {0, 1}));
  REQUIRE(first.size() == 1);
  auto second = must(f.ledger->list_lots(f.warehouse, {}, {first[0].id, 1}));
  REQUIRE(second.size() == 1);
  CHECK(second[0].id != first[0].id);
  CHECK_ERRC(f.ledger->list_lots(f.warehouse, {}, {0, 100'000}), errc::invalid_input);

  auto pending = must(f.ledger->dispatch(f.as(f.warehouse), {a.code.id, f.shop_unit, 1'000}));
  auto incoming = must(f.ledger->list_codes(f.shop, code_status::pending, {}));
  REQUIRE(incoming.size() == 1);
  CHECK(incoming[0].id == pending.id);
  CHECK(must(f.ledger->list_codes(f.shop, code_status::active, {})).empty());
  must(f.ledger->receive(f.as(f.shop), pending.id));
  must(f.ledger->sale_check(f.as(f.shop), {pending.signed_code, f.shop_unit, 100}));
  auto sales = must(f.ledger->list_sales(f.shop, {}));
  REQUIRE(sales.size() == 1);
  CHECK(sales[0].quantity_g == 100);
  CHECK(must(f.ledger->list_sales(f.canteen, {})).empty());

  // A code is visible to its holder, the unit that dispatched it and the lot's warehouse.
  CHECK(f.ledger->get_code(f.shop, pending.id));
  CHECK(f.ledger->get_code(f.warehouse, pending.id));
  CHECK_ERRC(f.ledger->get_code(f.canteen, pending.id), errc::not_found);
  CHECK_ERRC(f.ledger->get_code(f.warehouse2, a.code.id), errc::not_found);
}

TEST_CASE("units, accounts and the audit feed", "[storage]") {
  fixture f;
  auto units = must(f.ledger->list_units({}));
  CHECK(units.size() == 6);
  CHECK(must(f.ledger->get_unit(f.shop_unit)).name == "徐汇区天平路生鲜超市");
  CHECK_ERRC(f.ledger->get_unit(999), errc::not_found);
  CHECK(must(f.ledger->list_accounts(f.admin, f.shop_unit)).size() == 1);
  CHECK(must(f.ledger->list_accounts(f.shop, f.shop_unit)).size() == 1);
  CHECK_ERRC(f.ledger->list_accounts(f.shop, f.canteen_unit), errc::not_found);

  auto events = must(f.ledger->list_events(f.inspector, {0, 5}));
  REQUIRE(events.size() == 5);
  CHECK(events[0].seq == 1);
  CHECK(events[0].type == "unit.register");
  CHECK(events[0].prev_hash == bytes(32, 0));
  CHECK(events[1].prev_hash == events[0].hash);
  auto next = must(f.ledger->list_events(f.inspector, {events.back().seq, 1000}));
  CHECK(next.front().seq == 6);
  // Tokens never reach the chain.
  for (const auto& e : next) CHECK(e.data.find("ct_") == std::string::npos);
}

TEST_CASE("the block list says the highest lot and code ids it covers", "[storage]") {
  fixture f;
  auto empty = must(f.ledger->blocked());
  CHECK(empty.entries.empty());
  CHECK(empty.last_lot == 0);
  CHECK(empty.last_code == 0);

  auto released = f.released_lot();
  auto child = f.hand_over(released.code.id, f.warehouse, f.wholesaler, 100'000);
  auto held = f.intake();  // taken in, never released: listed as held
  auto list = must(f.ledger->blocked());
  CHECK(list.last_lot == held.lot.id);
  CHECK(list.last_code == held.code.id);
  CHECK(list.last_code > child.id);
  REQUIRE(list.entries.size() == 1);
  CHECK(list.entries[0].root_lot == held.lot.id);
  CHECK(list.entries[0].reason == verdict::not_released);

  // A code issued after the list was read is beyond it, even of a lot the list covers.
  auto later = f.hand_over(released.code.id, f.warehouse, f.wholesaler, 100'000);
  CHECK(later.id > list.last_code);
  CHECK(must(f.ledger->blocked()).last_code == later.id);
}
