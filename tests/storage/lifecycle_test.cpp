// The whole lifecycle through the ledger, as DESIGN §2 draws it.
#include "codec/identifiers.hpp"
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

TEST_CASE("a lot goes from intake to a sale at a shop", "[storage]") {
  fixture f;
  auto in = f.intake("imported_fruit", 2'000'000);
  CHECK(in.lot.status == lot_status::held);
  CHECK(in.code.holder == f.warehouse_unit);
  CHECK(in.code.split_path.empty());

  SECTION("the root code is printable at once but not sellable until release") {
    auto v = must(f.ledger->verify(in.code.signed_code));
    CHECK(v.verdict == verdict::not_released);
    REQUIRE(v.facts);
    CHECK(v.facts->product == "智利车厘子 JJ级");
    CHECK(v.facts->warehouse_name == "上海浦东进口冷链食品集中监管仓");
  }

  f.clear_for_release(in.lot.id);
  auto released = must(f.ledger->release(f.as(f.warehouse), in.lot.id));
  CHECK(released.status == lot_status::released);
  CHECK(must(f.ledger->verify(in.code.signed_code)).verdict == verdict::valid);

  auto to_wholesaler =
      must(f.ledger->dispatch(f.as(f.warehouse), {in.code.id, f.wholesaler_unit, 1'500'000}));
  CHECK(to_wholesaler.status == code_status::pending);
  CHECK(to_wholesaler.split_path == bytes{1});
  CHECK(must(f.ledger->verify(to_wholesaler.signed_code)).verdict == verdict::pending_receipt);
  must(f.ledger->receive(f.as(f.wholesaler), to_wholesaler.id));

  auto to_shop = f.hand_over(to_wholesaler.id, f.wholesaler, f.shop, 20'000);
  CHECK(to_shop.split_path == bytes{1, 1});

  auto sale = must(f.ledger->sale_check(f.as(f.shop), {to_shop.signed_code, f.shop_unit, 5'000}));
  CHECK(sale.verdict == verdict::valid);
  CHECK(sale.sale.has_value());
  CHECK(sale.remaining_g == 15'000);

  auto v = must(f.ledger->verify(to_shop.signed_code));
  CHECK(v.verdict == verdict::valid);
  REQUIRE(v.facts);
  CHECK(v.facts->holder_name == "徐汇区天平路生鲜超市");
  CHECK(v.facts->samples == 1);
  CHECK(v.facts->negative == 1);
  CHECK(v.facts->last_disinfection_at.has_value());
  CHECK(v.facts->issued_at == to_shop.issued_at);
  // The chain is the trace's, for those who may see it; the shop sees its own.
  auto t = must(f.ledger->trace_code(f.shop, to_shop.id));
  REQUIRE(t.chain.size() == 3);
  CHECK(t.chain[0].id == in.code.id);
  CHECK(t.chain[1].id == to_wholesaler.id);
  CHECK(t.chain[2].id == to_shop.id);
  CHECK(t.chain[2].remaining_g == 15'000);

  // Quantities are conserved: what the warehouse still holds plus what it sent.
  auto root = must(f.ledger->get_code(f.warehouse, in.code.id));
  CHECK(root.remaining_g == 500'000);
  CHECK(root.children == 1);
  CHECK(must(f.ledger->verify_chain()).intact());
}

TEST_CASE("issued codes are signed COSE codes carrying the ledger's facts", "[storage]") {
  fixture f;
  auto in = f.released_lot("imported_ambient", 750'000);
  auto child = f.hand_over(in.code.id, f.warehouse, f.wholesaler, 250'000);
  auto p = codec::verify_code(child.signed_code, f.keys);
  REQUIRE(p);
  CHECK(p->code_id == static_cast<std::uint64_t>(child.id));
  CHECK(p->root_lot == static_cast<std::uint64_t>(in.lot.id));
  CHECK(p->split_path == bytes{1});
  CHECK(p->category == codec::find_category("imported_ambient")->id);
  CHECK(p->quantity_g == 250'000u);
  CHECK(p->holder == static_cast<std::uint64_t>(f.wholesaler_unit));
  CHECK(p->origin == codec::find_country("CL")->numeric);
  CHECK(p->issued_day ==
        static_cast<std::uint32_t>(
            std::chrono::floor<std::chrono::days>(child.issued_at).time_since_epoch().count()));
}

TEST_CASE("a positive result quarantines the lot at once, even after release", "[storage]") {
  fixture f;
  auto in = f.released_lot();
  auto child = f.hand_over(in.code.id, f.warehouse, f.shop, 10'000);
  auto s = must(f.ledger->add_sample(f.as(f.warehouse),
                                     {in.lot.id, sample_type::environment, f.now(), "张伟"}));
  must(f.ledger->record_result(
      f.as(f.warehouse), {s.id, test_outcome::positive, "上海市疾控中心", "HS2024-0099", f.now()}));
  auto v = must(f.ledger->verify(child.signed_code));
  CHECK(v.verdict == verdict::quarantined);
  REQUIRE(v.facts);
  CHECK(v.facts->samples == 2);
  CHECK(v.facts->negative == 1);
  CHECK(v.facts->positive == 1);
  auto check = must(f.ledger->sale_check(f.as(f.shop), {child.signed_code, f.shop_unit, 1'000}));
  CHECK(check.verdict == verdict::quarantined);
  CHECK_FALSE(check.sale);
  CHECK(must(f.ledger->get_code(f.shop, child.id)).remaining_g == 10'000);
}

TEST_CASE("a recall blocks every descendant and lists what each holder still has", "[storage]") {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 1'000'000);
  auto w = f.hand_over(in.code.id, f.warehouse, f.wholesaler, 600'000);
  auto shop_code = f.hand_over(w.id, f.wholesaler, f.shop, 100'000);
  auto canteen_pending =
      must(f.ledger->dispatch(f.as(f.wholesaler), {w.id, f.canteen_unit, 50'000}));
  must(f.ledger->sale_check(f.as(f.shop), {shop_code.signed_code, f.shop_unit, 30'000}));

  auto r = must(f.ledger->recall(f.as(f.inspector), {in.lot.id, "下游抽检核酸阳性"}));
  CHECK(r.codes_blocked == 4);
  auto held = [&](unit_id u) {
    for (const auto& h : r.holders)
      if (h.unit == u) return std::pair{h.held_g, h.in_transit_g};
    return std::pair<std::int64_t, std::int64_t>{-1, -1};
  };
  CHECK(held(f.warehouse_unit) == std::pair<std::int64_t, std::int64_t>{400'000, 0});
  CHECK(held(f.wholesaler_unit) == std::pair<std::int64_t, std::int64_t>{450'000, 0});
  CHECK(held(f.shop_unit) == std::pair<std::int64_t, std::int64_t>{70'000, 0});
  CHECK(held(f.canteen_unit) == std::pair<std::int64_t, std::int64_t>{0, 50'000});
  CHECK(r.holders.front().unit == f.wholesaler_unit);  // largest first

  for (const auto* code : {&in.code, &w, &shop_code, &canteen_pending})
    CHECK(must(f.ledger->verify(code->signed_code)).verdict == verdict::recalled);
  auto blocked = must(f.ledger->blocked()).entries;
  REQUIRE(blocked.size() == 1);
  CHECK(blocked[0].root_lot == in.lot.id);
  CHECK(blocked[0].prefix.empty());
  CHECK(blocked[0].reason == verdict::recalled);
  // The goods in transit can still be received: custody must be known during a recall.
  CHECK(f.ledger->receive(f.as(f.canteen), canteen_pending.id));
}

TEST_CASE("trace gives the chain up to the root and the tree below, depth first", "[storage]") {
  fixture f;
  auto in = f.released_lot("imported_fruit", 1'000'000);
  auto a = f.hand_over(in.code.id, f.warehouse, f.wholesaler, 500'000);
  auto b = f.hand_over(in.code.id, f.warehouse, f.wholesaler, 100'000);
  auto a1 = f.hand_over(a.id, f.wholesaler, f.shop, 10'000);
  auto a2 = f.hand_over(a.id, f.wholesaler, f.canteen, 20'000);
  auto a11 = f.hand_over(a1.id, f.shop, f.wholesaler, 1'000);

  auto t = must(f.ledger->trace_lot(f.warehouse, in.lot.id));
  REQUIRE(t.chain.size() == 1);
  std::vector<code_id> order;
  for (const auto& n : t.descendants) order.push_back(n.id);
  CHECK(order == std::vector<code_id>{a.id, a1.id, a11.id, a2.id, b.id});

  auto u = must(f.ledger->trace_code(f.shop, a1.id));
  std::vector<code_id> chain;
  for (const auto& n : u.chain) chain.push_back(n.id);
  CHECK(chain == std::vector<code_id>{in.code.id, a.id, a1.id});
  REQUIRE(u.descendants.size() == 1);
  CHECK(u.descendants[0].id == a11.id);
  CHECK(u.descendants[0].holder_name == "上海江桥果品批发市场经营管理有限公司");

  SECTION("a verification names this code's holder, however deep the code") {
    for (const auto* code : {&in.code, &a, &a1, &a11}) {
      auto v = must(f.ledger->verify(code->signed_code));
      REQUIRE(v.facts);
      CHECK(v.facts->code == code->id);
      CHECK(v.facts->holder == code->holder);
      CHECK(v.facts->issued_at == code->issued_at);
    }
  }
  SECTION("another unit sees none of it") {
    CHECK_ERRC(f.ledger->trace_code(f.canteen, a1.id), errc::not_found);
    CHECK_ERRC(f.ledger->trace_lot(f.shop, in.lot.id), errc::not_found);
    CHECK_ERRC(f.ledger->get_lot(f.warehouse2, in.lot.id), errc::not_found);
  }
}

TEST_CASE("tokens authenticate until rotated or revoked", "[storage]") {
  fixture f;
  auto a = must(f.ledger->authenticate(f.shop_token));
  CHECK(a.account == f.shop.account);
  CHECK(a.unit == f.shop_unit);
  CHECK(a.role == account_role::unit_operator);
  CHECK(f.shop_token.size() == 46);
  // Only the hash is stored.
  CHECK(f.snapshot().find(f.shop_token) == std::string::npos);

  auto rotated = must(f.ledger->rotate_token(f.as(f.shop), f.shop.account));
  CHECK_ERRC(f.ledger->authenticate(f.shop_token), errc::unauthenticated);
  CHECK(must(f.ledger->authenticate(rotated.token)).account == f.shop.account);
  must(f.ledger->revoke_token(f.as(f.admin), f.shop.account));
  CHECK_ERRC(f.ledger->authenticate(rotated.token), errc::unauthenticated);
  CHECK_ERRC(f.ledger->authenticate("ct_not-a-token"), errc::unauthenticated);
  CHECK_ERRC(f.ledger->authenticate(""), errc::unauthenticated);
}

TEST_CASE("inspections judge the scanned codes at the inspected unit", "[storage]") {
  fixture f;
  auto in = f.released_lot();
  auto shop_code = f.hand_over(in.code.id, f.warehouse, f.shop, 10'000);
  auto canteen_code = f.hand_over(in.code.id, f.warehouse, f.canteen, 10'000);
  bytes garbage{0x01, 0x02, 0x03};
  auto i = must(f.ledger->record_inspection(
      f.as(f.inspector), {f.shop_unit,
                          {shop_code.signed_code, canteen_code.signed_code, garbage},
                          3,
                          "冷柜内三箱无码"}));
  REQUIRE(i.codes.size() == 3);
  CHECK(i.codes[0].verdict == verdict::valid);
  CHECK(i.codes[1].verdict == verdict::wrong_holder);
  CHECK(i.codes[2].verdict == verdict::malformed);
  CHECK_FALSE(i.codes[2].code);
  auto listed = must(f.ledger->list_inspections(f.inspector, f.shop_unit, {}));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].uncoded_items == 3);
  CHECK(listed[0].codes.size() == 3);
  CHECK(listed[0].note == "冷柜内三箱无码");
  // The shop sees its own inspections, not the canteen's.
  CHECK(must(f.ledger->list_inspections(f.shop, std::nullopt, {})).size() == 1);
  CHECK_ERRC(f.ledger->list_inspections(f.shop, f.canteen_unit, {}), errc::not_found);
}
