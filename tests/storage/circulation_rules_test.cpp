// The rules of circulation, broken: dispatch, receipt, sale, recall, inspection.
#include "tests/storage/fixture.hpp"

#include <set>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

template <class F>
void refused(fixture& f, errc expected, F&& op) {
  const auto before = f.snapshot();
  auto r = op();
  CHECK_ERRC(r, expected);
  CHECK(f.snapshot() == before);
}

}  // namespace

TEST_CASE("dispatch rules", "[storage]") {
  fixture f;
  auto in = f.released_lot("imported_fruit", 100'000);
  const code_id root = in.code.id;
  auto dispatch = [&](const actor& by, code_id code, unit_id to, std::int64_t g) {
    return [&, by, code, to, g] { return f.ledger->dispatch(f.as(by), {code, to, g}); };
  };
  SECTION("only the holder dispatches") {
    refused(f, errc::wrong_unit, dispatch(f.warehouse2, root, f.shop_unit, 1'000));
    refused(f, errc::forbidden, dispatch(f.inspector, root, f.shop_unit, 1'000));
    refused(f, errc::not_found, dispatch(f.warehouse, 999, f.shop_unit, 1'000));
  }
  SECTION("only from a released lot") {
    auto held = f.intake();
    refused(f, errc::not_released, dispatch(f.warehouse, held.code.id, f.shop_unit, 1'000));
  }
  SECTION("not from a quarantined lot") {
    auto s = must(f.ledger->add_sample(f.as(f.warehouse),
                                       {in.lot.id, sample_type::environment, f.now(), "x"}));
    must(f.ledger->record_result(f.as(f.warehouse),
                                 {s.id, test_outcome::positive, "lab", "R", f.now()}));
    refused(f, errc::quarantined, dispatch(f.warehouse, root, f.shop_unit, 1'000));
  }
  SECTION("not from a recalled lot") {
    must(f.ledger->recall(f.as(f.admin), {in.lot.id, "召回"}));
    refused(f, errc::recalled, dispatch(f.warehouse, root, f.shop_unit, 1'000));
  }
  SECTION("only after receipt") {
    auto child = must(f.ledger->dispatch(f.as(f.warehouse), {root, f.wholesaler_unit, 1'000}));
    refused(f, errc::pending_receipt, dispatch(f.wholesaler, child.id, f.shop_unit, 500));
  }
  SECTION("no more than remains") {
    refused(f, errc::insufficient_quantity, dispatch(f.warehouse, root, f.shop_unit, 100'001));
    f.hand_over(root, f.warehouse, f.shop, 60'000);
    refused(f, errc::insufficient_quantity, dispatch(f.warehouse, root, f.shop_unit, 40'001));
    CHECK(f.ledger->dispatch(f.as(f.warehouse), {root, f.shop_unit, 40'000}));
    refused(f, errc::insufficient_quantity, dispatch(f.warehouse, root, f.shop_unit, 1));
  }
  SECTION("a positive quantity") {
    refused(f, errc::invalid_input, dispatch(f.warehouse, root, f.shop_unit, 0));
    refused(f, errc::invalid_input, dispatch(f.warehouse, root, f.shop_unit, -1));
  }
  SECTION("to another existing unit that can hold goods") {
    refused(f, errc::not_found, dispatch(f.warehouse, root, 999, 1'000));
    refused(f, errc::invalid_input, dispatch(f.warehouse, root, f.warehouse_unit, 1'000));
    refused(f, errc::invalid_input, dispatch(f.warehouse, root, f.bureau_unit, 1'000));
  }
  SECTION("past 255 children: each its own ordinal, those past 255 in version 2 codes") {
    // Queued at once so that they share commits; each still gets its own ordinal.
    constexpr std::uint32_t n = 1000;
    std::vector<std::future<result<code_record>>> children;
    for (std::uint32_t i = 0; i < n; ++i) {
      auto p = std::make_shared<std::promise<result<code_record>>>();
      children.push_back(p->get_future());
      f.ledger->async_dispatch({f.warehouse, f.now()}, {root, f.shop_unit, 10},
                               [p](result<code_record> r) { p->set_value(std::move(r)); });
    }
    std::set<std::uint32_t> ordinals;
    int version_2 = 0;
    code_record last;
    for (auto& c : children) {
      last = must(c.get());
      const auto levels = codec::split_levels(last.split_path).value();
      REQUIRE(levels.size() == 1);
      ordinals.insert(levels[0]);
      const auto p = codec::read_code(last.signed_code).value();
      CHECK(p.split_path == last.split_path);
      version_2 += p.version() == 2;
      // Every one verifies as the code it is (not yet received), whatever its version.
      CHECK(must(f.ledger->verify(last.signed_code)).verdict == verdict::pending_receipt);
    }
    CHECK(ordinals.size() == n);
    CHECK(*ordinals.begin() == 1);
    CHECK(*ordinals.rbegin() == n);
    CHECK(version_2 == n - 255);
    CHECK(must(f.ledger->get_code(f.warehouse, root)).children == n);
    CHECK(must(f.ledger->trace_code(f.warehouse, root)).descendants.size() == n);
    // A child past 255 splits on like any code.
    must(f.ledger->receive(f.as(f.shop), last.id));
    auto grandchild = must(f.ledger->dispatch(f.as(f.shop), {last.id, f.wholesaler_unit, 5}));
    CHECK(codec::split_levels(grandchild.split_path).value() ==
          std::vector<std::uint32_t>{codec::split_levels(last.split_path).value()[0], 1});
  }
  SECTION("at most max_split_depth levels") {
    code_id at = root;
    const actor* holder = &f.warehouse;
    for (std::size_t depth = 1; depth <= codec::max_split_depth; ++depth) {
      const actor* next = holder == &f.wholesaler ? &f.shop : &f.wholesaler;
      at = f.hand_over(at, *holder, *next, 10).id;
      holder = next;
    }
    CHECK(codec::split_levels(must(f.ledger->get_code(*holder, at)).split_path).value().size() ==
          codec::max_split_depth);
    const unit_id other = holder == &f.shop ? f.wholesaler_unit : f.shop_unit;
    refused(f, errc::too_deep, dispatch(*holder, at, other, 1));
  }
}

TEST_CASE("receive rules", "[storage]") {
  fixture f;
  auto in = f.released_lot();
  auto child = must(f.ledger->dispatch(f.as(f.warehouse), {in.code.id, f.shop_unit, 1'000}));
  SECTION("only the consignee receives") {
    refused(f, errc::wrong_unit, [&] { return f.ledger->receive(f.as(f.canteen), child.id); });
    refused(f, errc::forbidden, [&] { return f.ledger->receive(f.as(f.inspector), child.id); });
    refused(f, errc::not_found, [&] { return f.ledger->receive(f.as(f.shop), 999); });
  }
  SECTION("once") {
    must(f.ledger->receive(f.as(f.shop), child.id));
    refused(f, errc::already_received, [&] { return f.ledger->receive(f.as(f.shop), child.id); });
    refused(f, errc::already_received,
            [&] { return f.ledger->receive(f.as(f.warehouse), in.code.id); });
  }
}

TEST_CASE("sale check rules and verdicts", "[storage]") {
  fixture f;
  auto in = f.released_lot("imported_fruit", 100'000);
  auto at_shop = f.hand_over(in.code.id, f.warehouse, f.shop, 10'000);
  auto check = [&](const bytes& code, std::optional<std::int64_t> g = std::nullopt) {
    return must(f.ledger->sale_check(f.as(f.shop), {code, f.shop_unit, g}));
  };
  SECTION("a unit checks only for itself") {
    refused(f, errc::forbidden, [&] {
      return f.ledger->sale_check(f.as(f.canteen), {at_shop.signed_code, f.shop_unit, 1});
    });
    refused(f, errc::forbidden, [&] {
      return f.ledger->sale_check(f.as(f.inspector), {at_shop.signed_code, f.shop_unit, {}});
    });
  }
  SECTION("no sale beyond what remains, and a positive quantity") {
    refused(f, errc::insufficient_quantity, [&] {
      return f.ledger->sale_check(f.as(f.shop), {at_shop.signed_code, f.shop_unit, 10'001});
    });
    refused(f, errc::invalid_input, [&] {
      return f.ledger->sale_check(f.as(f.shop), {at_shop.signed_code, f.shop_unit, 0});
    });
  }
  SECTION("a sale reduces what remains; used up is exhausted") {
    CHECK(check(at_shop.signed_code, 10'000).remaining_g == 0);
    auto r = check(at_shop.signed_code, 1);
    CHECK(r.verdict == verdict::exhausted);
    CHECK_FALSE(r.sale);
  }
  SECTION("another unit's code is wrong_holder, recorded as a finding") {
    auto elsewhere = f.hand_over(in.code.id, f.warehouse, f.canteen, 1'000);
    const auto checks = f.scalar("SELECT count(*) FROM sale_checks");
    auto r = check(elsewhere.signed_code, 500);
    CHECK(r.verdict == verdict::wrong_holder);
    CHECK_FALSE(r.sale);
    CHECK(f.scalar("SELECT count(*) FROM sale_checks WHERE verdict = 'wrong_holder'") == 1);
    CHECK(f.scalar("SELECT count(*) FROM sale_checks") == checks + 1);
    CHECK(must(f.ledger->get_code(f.canteen, elsewhere.id)).remaining_g == 1'000);
  }
  SECTION("not yet received is pending_receipt") {
    auto pending = must(f.ledger->dispatch(f.as(f.warehouse), {in.code.id, f.shop_unit, 500}));
    CHECK(check(pending.signed_code, 100).verdict == verdict::pending_receipt);
  }
  SECTION("an unreleased lot is not_released") {
    auto held = f.intake();
    // The lot's state comes first: at any unit an unreleased lot's code is not_released.
    CHECK(check(held.code.signed_code).verdict == verdict::not_released);
    CHECK(
        must(f.ledger->sale_check(f.as(f.warehouse), {held.code.signed_code, f.warehouse_unit, 1}))
            .verdict == verdict::not_released);
  }
  SECTION("altered, garbage and foreign codes") {
    bytes altered = at_shop.signed_code;
    altered.back() ^= 0x01;  // in the signature: still parses, no longer matches
    CHECK(check(altered, 1).verdict == verdict::forged);
    CHECK(check(bytes{0xd2, 0x84, 0x00}).verdict == verdict::malformed);
    CHECK(check(bytes{}).verdict == verdict::malformed);
    codec::payload p = *codec::read_code(at_shop.signed_code);
    p.code_id = 999'999;
    CHECK(check(codec::issue_code(p, *f.key).value()).verdict == verdict::unknown);
    CHECK(f.scalar("SELECT count(*) FROM sales") == 0);
  }
}

TEST_CASE("recall and inspection rules", "[storage]") {
  fixture f;
  auto in = f.released_lot();
  SECTION("only the bureau recalls") {
    refused(f, errc::forbidden, [&] {
      return f.ledger->recall(f.as(f.warehouse), {in.lot.id, "召回"});
    });
    refused(f, errc::forbidden, [&] {
      return f.ledger->recall(f.as(f.shop), {in.lot.id, "召回"});
    });
  }
  SECTION("a recall names an existing lot and a reason, once") {
    refused(f, errc::not_found, [&] { return f.ledger->recall(f.as(f.admin), {999, "召回"}); });
    refused(f, errc::invalid_input, [&] {
      return f.ledger->recall(f.as(f.admin), {in.lot.id, ""});
    });
    must(f.ledger->recall(f.as(f.admin), {in.lot.id, "召回"}));
    refused(f, errc::recalled, [&] {
      return f.ledger->recall(f.as(f.inspector), {in.lot.id, "再次"});
    });
  }
  SECTION("only inspectors record inspections, of existing units") {
    inspection_request r{f.shop_unit, {}, 2, "无码"};
    refused(f, errc::forbidden, [&] { return f.ledger->record_inspection(f.as(f.admin), r); });
    refused(f, errc::forbidden, [&] { return f.ledger->record_inspection(f.as(f.shop), r); });
    r.unit = 999;
    refused(f, errc::not_found, [&] { return f.ledger->record_inspection(f.as(f.inspector), r); });
    r.unit = f.shop_unit;
    r.uncoded_items = -1;
    refused(f, errc::invalid_input,
            [&] { return f.ledger->record_inspection(f.as(f.inspector), r); });
  }
  SECTION("statistics and the audit feed are the bureau's") {
    CHECK_ERRC(f.ledger->stats(f.shop, {f.now() - 24h, f.now()}), errc::forbidden);
    CHECK_ERRC(f.ledger->list_events(f.warehouse, {}), errc::forbidden);
    CHECK_ERRC(f.ledger->list_events(f.admin, {0, 0}), errc::invalid_input);
    CHECK_ERRC(f.ledger->stats(f.admin, {f.now(), f.now() - 24h}), errc::invalid_input);
  }
}
