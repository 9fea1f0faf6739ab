// The counter's reads (issue 10): a unit's stock by code and its sale checks of a day, for
// its own staff only.
#include "tests/storage/fixture.hpp"

#include <algorithm>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

const stock_line* line_of(const unit_stock& s, code_id code) {
  auto it = std::find_if(s.lines.begin(), s.lines.end(),
                         [&](const stock_line& l) { return l.code.id == code; });
  return it == s.lines.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("a unit's stock: received, sold, dispatched and remaining by code", "[storage]") {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 100'000);
  auto at_wholesaler = f.hand_over(in.code.id, f.warehouse, f.wholesaler, 60'000);
  auto stock = [&](const actor& by, unit_id unit) { return must(f.ledger->stock(by, unit)); };

  SECTION("after receipt, a sale and a dispatch") {
    auto s = stock(f.wholesaler, f.wholesaler_unit);
    REQUIRE(s.lines.size() == 1);
    CHECK(s.lines[0].code.id == at_wholesaler.id);
    CHECK(s.lines[0].product == in.lot.product);
    CHECK(s.lines[0].received_g == 60'000);
    CHECK(s.lines[0].sold_g == 0);
    CHECK(s.lines[0].code.remaining_g == 60'000);

    must(f.ledger->sale_check(f.as(f.wholesaler),
                              {at_wholesaler.signed_code, f.wholesaler_unit, 2'500}));
    auto to_shop = f.hand_over(at_wholesaler.id, f.wholesaler, f.shop, 20'000);
    s = stock(f.wholesaler, f.wholesaler_unit);
    REQUIRE(s.lines.size() == 1);
    CHECK(s.lines[0].received_g == 60'000);
    CHECK(s.lines[0].sold_g == 2'500);
    CHECK(s.lines[0].dispatched_g == 20'000);
    CHECK(s.lines[0].code.remaining_g == 37'500);
    CHECK(s.lines[0].code.lot_state == lot_status::released);

    auto shop = stock(f.shop, f.shop_unit);
    REQUIRE(shop.lines.size() == 1);
    CHECK(shop.lines[0].code.id == to_shop.id);
    CHECK(shop.lines[0].received_g == 20'000);
    CHECK(shop.lines[0].code.remaining_g == 20'000);
  }
  SECTION("a delivery not yet received is listed with nothing received") {
    auto pending =
        must(f.ledger->dispatch(f.as(f.wholesaler), {at_wholesaler.id, f.shop_unit, 5'000}));
    auto s = stock(f.shop, f.shop_unit);
    auto* l = line_of(s, pending.id);
    REQUIRE(l);
    CHECK(l->code.status == code_status::pending);
    CHECK(l->received_g == 0);
    CHECK(l->code.remaining_g == 5'000);
  }
  SECTION("a code used up is left out") {
    must(f.ledger->sale_check(f.as(f.wholesaler),
                              {at_wholesaler.signed_code, f.wholesaler_unit, 60'000}));
    CHECK(stock(f.wholesaler, f.wholesaler_unit).lines.empty());
  }
  SECTION("recalled and quarantined lots come first") {
    auto plain = f.released_lot("imported_fruit", 10'000);
    auto recalled = f.released_lot("imported_fruit", 10'000);
    auto quarantined = f.released_lot("imported_fruit", 10'000);
    auto c_plain = f.hand_over(plain.code.id, f.warehouse, f.wholesaler, 1'000);
    auto c_recalled = f.hand_over(recalled.code.id, f.warehouse, f.wholesaler, 1'000);
    auto c_quarantined = f.hand_over(quarantined.code.id, f.warehouse, f.wholesaler, 1'000);
    must(f.ledger->recall(f.as(f.admin), {recalled.lot.id, "阳性"}));
    auto smp = must(f.ledger->add_sample(
        f.as(f.warehouse), {quarantined.lot.id, sample_type::environment, f.now(), "x"}));
    must(f.ledger->record_result(f.as(f.warehouse),
                                 {smp.id, test_outcome::positive, "lab", "R9", f.now()}));
    auto s = stock(f.wholesaler, f.wholesaler_unit);
    REQUIRE(s.lines.size() == 4);
    CHECK(s.lines[0].code.id == c_recalled.id);
    CHECK(s.lines[0].code.lot_recalled);
    CHECK(s.lines[1].code.id == c_quarantined.id);
    CHECK(s.lines[1].code.lot_state == lot_status::quarantined);
    CHECK(s.lines[2].code.id == c_plain.id);  // then newest first
    CHECK(s.lines[3].code.id == at_wholesaler.id);
  }
  SECTION("a consignment's recall marks its codes only, not the rest of the lot") {
    auto lot = f.released_lot("domestic_frozen", 10'000);
    auto recalled = f.hand_over(lot.code.id, f.warehouse, f.wholesaler, 1'000);
    auto sibling = f.hand_over(lot.code.id, f.warehouse, f.wholesaler, 2'000);
    must(f.ledger->recall(f.as(f.admin), {lot.lot.id, "批发商冷库抽检阳性", recalled.id}));
    auto s = stock(f.wholesaler, f.wholesaler_unit);
    REQUIRE(s.lines.size() == 3);
    CHECK(s.lines[0].code.id == recalled.id);
    CHECK(s.lines[0].code.lot_recalled);
    CHECK(s.lines[1].code.id == sibling.id);
    CHECK_FALSE(s.lines[1].code.lot_recalled);
    CHECK_FALSE(s.lines[2].code.lot_recalled);
  }
  SECTION("another unit's stock is refused (regulators read it: findings_test.cpp)") {
    CHECK_ERRC(f.ledger->stock(f.shop, f.wholesaler_unit), errc::forbidden);
    auto e = f.ledger->stock(f.shop, f.wholesaler_unit).error();
    CHECK(e.detail == "counter.other_unit");
  }
}

TEST_CASE("a unit's sale checks of a day: sales and refusals", "[storage]") {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 100'000);
  auto at_shop = f.hand_over(in.code.id, f.warehouse, f.shop, 30'000);
  auto held = f.intake();  // not released
  auto at_canteen = f.hand_over(in.code.id, f.warehouse, f.canteen, 1'000);
  const auto from = f.now();

  must(f.ledger->sale_check(f.as(f.shop), {at_shop.signed_code, f.shop_unit, {}}));
  auto sold = must(f.ledger->sale_check(f.as(f.shop), {at_shop.signed_code, f.shop_unit, 1'200}));
  auto not_released =
      must(f.ledger->sale_check(f.as(f.shop), {held.code.signed_code, f.shop_unit, {}}));
  auto elsewhere =
      must(f.ledger->sale_check(f.as(f.shop), {at_canteen.signed_code, f.shop_unit, {}}));
  must(f.ledger->sale_check(f.as(f.shop), {bytes{1, 2, 3}, f.shop_unit, {}}));
  // Another unit's check is not this unit's.
  must(f.ledger->sale_check(f.as(f.canteen), {at_canteen.signed_code, f.canteen_unit, 100}));
  REQUIRE(not_released.verdict == verdict::not_released);
  REQUIRE(elsewhere.verdict == verdict::wrong_holder);

  auto day = must(f.ledger->counter_day(f.shop, f.shop_unit, from, f.now() + 1s));
  REQUIRE(day.checks.size() == 5);
  CHECK(day.sales == 1);
  CHECK(day.sold_g == 1'200);
  CHECK(day.refused == 3);
  // Newest first.
  CHECK(day.checks[0].verdict == verdict::malformed);
  CHECK_FALSE(day.checks[0].code);
  CHECK(day.checks[1].verdict == verdict::wrong_holder);
  REQUIRE(day.checks[1].code);
  CHECK(day.checks[1].code->id == at_canteen.id);
  CHECK(day.checks[1].product == in.lot.product);
  CHECK(day.checks[2].verdict == verdict::not_released);
  CHECK(day.checks[2].code->lot_state == lot_status::held);
  CHECK(day.checks[3].verdict == verdict::valid);
  CHECK(day.checks[3].sale == sold.sale);
  CHECK(day.checks[3].quantity_g == 1'200);
  CHECK_FALSE(day.checks[4].sale);

  SECTION("only the checks in the period") {
    auto later = must(f.ledger->counter_day(f.shop, f.shop_unit, f.now() + 1s, f.now() + 2s));
    CHECK(later.checks.empty());
    CHECK(later.sales == 0);
  }
  SECTION("another unit's day is refused") {
    CHECK_ERRC(f.ledger->counter_day(f.canteen, f.shop_unit, from, f.now()), errc::forbidden);
    CHECK_ERRC(f.ledger->counter_day(f.inspector, f.shop_unit, from, f.now()), errc::forbidden);
  }
}
