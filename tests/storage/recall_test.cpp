// Recalls that reach the goods (issue 10): the proposal a positive result opens, the bureau's
// confirmation or dismissal, a consignment's recall, and each holder's acknowledgement and
// account of what it did.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

// A lot spread out: the warehouse keeps 400 kg, the wholesaler 450 kg, the shop 70 kg (it
// sold 30 kg), and 50 kg are on the way to the canteen.
struct spread {
  intake_result in;
  code_record w, shop_code, canteen_pending;
};

spread spread_lot(fixture& f) {
  spread s;
  s.in = f.released_lot("domestic_frozen", 1'000'000);
  s.w = f.hand_over(s.in.code.id, f.warehouse, f.wholesaler, 600'000);
  s.shop_code = f.hand_over(s.w.id, f.wholesaler, f.shop, 100'000);
  s.canteen_pending =
      must(f.ledger->dispatch(f.as(f.wholesaler), {s.w.id, f.canteen_unit, 50'000}));
  must(f.ledger->sale_check(f.as(f.shop), {s.shop_code.signed_code, f.shop_unit, 30'000}));
  return s;
}

sample_record positive(fixture& f, lot_id lot) {
  auto s = must(
      f.ledger->add_sample(f.as(f.warehouse), {lot, sample_type::food_surface, f.now(), "张伟"}));
  return must(f.ledger->record_result(
      f.as(f.warehouse), {s.id, test_outcome::positive, "上海市疾控中心", "HS-9", f.now()}));
}

const recall_holder* holder_of(const recall_view& v, unit_id u) {
  for (const auto& h : v.holders)
    if (h.unit == u) return &h;
  return nullptr;
}

void audit_replays(fixture& f) {
  f.ledger->close();
  auto report = must(verify_audit_chain(f.file));
  INFO(report.state_problem);
  CHECK(report.state_checked);
  CHECK(report.intact());
}

}  // namespace

TEST_CASE("a positive result opens a recall proposal listing the holders", "[storage][recall]") {
  fixture f;
  auto s = spread_lot(f);
  auto sample = positive(f, s.in.lot.id);
  auto open = must(f.ledger->list_recall_proposals(f.inspector, true, {}));
  REQUIRE(open.size() == 1);
  CHECK(open[0].lot == s.in.lot.id);
  CHECK(open[0].sample == sample.id);
  CHECK(open[0].status == proposal_status::open);
  REQUIRE(open[0].holders.size() == 4);
  CHECK(open[0].holders.front().unit == f.wholesaler_unit);
  // Quarantined at once, as before; a second positive opens no second proposal.
  CHECK(must(f.ledger->verify(s.shop_code.signed_code)).verdict == verdict::quarantined);
  positive(f, s.in.lot.id);
  CHECK(must(f.ledger->list_recall_proposals(f.admin, true, {})).size() == 1);
  CHECK_ERRC(f.ledger->list_recall_proposals(f.shop, true, {}), errc::forbidden);
  SECTION("confirmed: the recall notifies every holder with what it held and sold") {
    auto r = must(f.ledger->recall(f.as(f.inspector),
                                   {s.in.lot.id, "外包装核酸阳性", std::nullopt, open[0].id}));
    CHECK(r.codes_blocked == 4);
    CHECK(must(f.ledger->list_recall_proposals(f.admin, true, {})).empty());
    auto all = must(f.ledger->list_recall_proposals(f.admin, false, {}));
    REQUIRE(all.size() == 1);
    CHECK(all[0].status == proposal_status::confirmed);
    CHECK(all[0].recall == r.recall.id);
    auto v = must(f.ledger->get_recall(f.admin, r.recall.id, f.now()));
    REQUIRE(v.holders.size() == 4);
    const auto* shop = holder_of(v, f.shop_unit);
    REQUIRE(shop);
    CHECK(shop->held_g == 70'000);
    CHECK(shop->sold_g == 30'000);
    CHECK(shop->codes == std::vector<code_id>{s.shop_code.id});
    CHECK(holder_of(v, f.canteen_unit)->in_transit_g == 50'000);
    REQUIRE(v.sales.size() == 1);
    CHECK(v.sales[0].unit == f.shop_unit);
    CHECK(v.sales[0].quantity_g == 30'000);
    CHECK_FALSE(shop->seen_at);
    // The proposal cannot be decided twice.
    CHECK_ERRC(f.ledger->dismiss_proposal(f.as(f.admin), {open[0].id, "no"}), errc::duplicate);
    audit_replays(f);
  }
  SECTION("dismissed with a reason: nothing is recalled") {
    CHECK_ERRC(f.ledger->dismiss_proposal(f.as(f.shop), {open[0].id, "no"}), errc::forbidden);
    CHECK_ERRC(f.ledger->dismiss_proposal(f.as(f.admin), {open[0].id, ""}), errc::invalid_input);
    auto d = must(f.ledger->dismiss_proposal(f.as(f.admin), {open[0].id, "复检阴性，货物未出仓"}));
    CHECK(d.status == proposal_status::dismissed);
    CHECK(d.note == "复检阴性，货物未出仓");
    CHECK(must(f.ledger->list_recalls(f.admin, f.now(), false, {})).empty());
    CHECK_ERRC(f.ledger->recall(f.as(f.admin), {s.in.lot.id, "x", std::nullopt, open[0].id}),
               errc::duplicate);
    audit_replays(f);
  }
}

TEST_CASE("a consignment's recall blocks it and everything below it, nothing else",
          "[storage][recall]") {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 1'000'000);
  auto w = f.hand_over(in.code.id, f.warehouse, f.wholesaler, 600'000);
  auto shop_code = f.hand_over(w.id, f.wholesaler, f.shop, 100'000);
  auto other = f.hand_over(in.code.id, f.warehouse, f.canteen, 200'000);
  auto r = must(f.ledger->recall(f.as(f.admin), {in.lot.id, "批发商冷库抽检阳性", w.id}));
  CHECK(r.codes_blocked == 2);
  REQUIRE(r.holders.size() == 2);
  CHECK(must(f.ledger->verify(w.signed_code)).verdict == verdict::recalled);
  CHECK(must(f.ledger->verify(shop_code.signed_code)).verdict == verdict::recalled);
  CHECK(must(f.ledger->verify(other.signed_code)).verdict == verdict::valid);
  CHECK(must(f.ledger->verify(in.code.signed_code)).verdict == verdict::valid);
  auto sold = must(f.ledger->sale_check(f.as(f.shop), {shop_code.signed_code, f.shop_unit, 1'000}));
  CHECK(sold.verdict == verdict::recalled);
  CHECK_FALSE(sold.sale);
  CHECK_ERRC(f.ledger->dispatch(f.as(f.wholesaler), {w.id, f.canteen_unit, 1'000}), errc::recalled);
  CHECK(f.ledger->dispatch(f.as(f.warehouse), {in.code.id, f.shop_unit, 1'000}));
  // The offline list carries the consignment's prefix, not the lot.
  auto blocked = must(f.ledger->blocked()).entries;
  REQUIRE(blocked.size() == 1);
  CHECK(blocked[0].prefix == w.split_path);
  CHECK(blocked[0].reason == verdict::recalled);
  CHECK_FALSE(must(f.ledger->get_lot(f.admin, in.lot.id)).lot.recalled_at);
  // Under a recall already: refused; the whole lot may still be recalled.
  CHECK_ERRC(f.ledger->recall(f.as(f.admin), {in.lot.id, "again", shop_code.id}), errc::recalled);
  CHECK_ERRC(f.ledger->recall(f.as(f.admin), {in.lot.id + 1, "x", shop_code.id}),
             errc::invalid_input);
  CHECK_ERRC(f.ledger->recall(f.as(f.admin), {in.lot.id, "x", 9999}), errc::not_found);
  must(f.ledger->recall(f.as(f.admin), {in.lot.id, "全批召回"}));
  CHECK(must(f.ledger->verify(other.signed_code)).verdict == verdict::recalled);
  CHECK(must(f.ledger->blocked()).entries.size() == 2);
  audit_replays(f);
}

TEST_CASE("each holder sees its recall and accounts for what it held", "[storage][recall]") {
  fixture f;
  auto s = spread_lot(f);
  auto r = must(f.ledger->recall(f.as(f.admin), {s.in.lot.id, "阳性"}));
  const auto id = r.recall.id;
  // A holder reads its own row only; a unit not holding any reads nothing.
  auto mine = must(f.ledger->list_recalls(f.shop, f.now(), true, {}));
  REQUIRE(mine.size() == 1);
  REQUIRE(mine[0].holders.size() == 1);
  CHECK(mine[0].holders[0].unit == f.shop_unit);
  CHECK(mine[0].sales.empty());
  CHECK(must(f.ledger->list_recalls(f.warehouse2, f.now(), true, {})).empty());
  CHECK_ERRC(f.ledger->get_recall(f.warehouse2, id, f.now()), errc::wrong_unit);
  CHECK_ERRC(f.ledger->mark_recall_seen(f.as(f.warehouse2), id), errc::wrong_unit);
  CHECK_ERRC(f.ledger->mark_recall_seen(f.as(f.inspector), id), errc::forbidden);

  const auto before = f.snapshot();
  // 70 kg held: the three quantities must add up to exactly that, or nothing is written.
  CHECK_ERRC(f.ledger->respond_recall(f.as(f.shop), {id, 60'000, 0, 0, ""}), errc::invalid_input);
  CHECK_ERRC(f.ledger->respond_recall(f.as(f.shop), {id, 80'000, -10'000, 0, ""}),
             errc::invalid_input);
  CHECK_ERRC(f.ledger->respond_recall(f.as(f.warehouse2), {id, 70'000, 0, 0, ""}),
             errc::wrong_unit);
  CHECK(f.snapshot() == before);

  auto seen = must(f.ledger->mark_recall_seen(f.as(f.shop), id));
  REQUIRE(seen.holders.size() == 1);
  REQUIRE(seen.holders[0].seen_at);
  const auto first_seen = *seen.holders[0].seen_at;
  CHECK(*must(f.ledger->mark_recall_seen(f.as(f.shop), id)).holders[0].seen_at == first_seen);
  auto acted = must(f.ledger->respond_recall(f.as(f.shop), {id, 50'000, 0, 20'000, "已下架封存"}));
  CHECK(acted.holders[0].acted_at == f.now());
  CHECK(acted.holders[0].sealed_g == 50'000);
  CHECK(acted.holders[0].destroyed_g == 20'000);
  CHECK_ERRC(f.ledger->respond_recall(f.as(f.shop), {id, 70'000, 0, 0, ""}), errc::duplicate);
  CHECK(must(f.ledger->list_recalls(f.shop, f.now(), true, {})).empty());
  CHECK(must(f.ledger->list_recalls(f.shop, f.now(), false, {})).size() == 1);

  // The canteen answers for what was on its way to it; the bureau sees who is overdue.
  must(f.ledger->respond_recall(f.as(f.canteen), {id, 0, 50'000, 0, "拒收退回"}));
  auto later = f.now() + recall_response_time + 1h;
  auto v = must(f.ledger->get_recall(f.inspector, id, later));
  CHECK(holder_of(v, f.shop_unit)->seen_at == first_seen);
  CHECK_FALSE(holder_of(v, f.shop_unit)->overdue);
  CHECK(holder_of(v, f.wholesaler_unit)->overdue);
  CHECK_FALSE(holder_of(v, f.wholesaler_unit)->seen_at);
  CHECK_FALSE(must(f.ledger->get_recall(f.inspector, id, f.now())).holders[0].overdue);
  auto table = must(f.ledger->export_recall(f.admin, id, later));
  CHECK(table.rows.size() == 4);
  auto csv = must(render({table}, language::zh, export_format::csv));
  CHECK(csv.find("销毁") != std::string::npos);
  CHECK(csv.find("逾期未处置") != std::string::npos);
  CHECK_ERRC(f.ledger->export_recall(f.shop, id, later), errc::forbidden);
  audit_replays(f);
}
