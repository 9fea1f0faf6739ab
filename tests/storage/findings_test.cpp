// The inspection (issue 10): at an unregistered vendor, uncoded items item by item with a
// photo and a rectification deadline, the follow-up that closes them, the bureau's list, the
// counts for the statistics, and what an inspector sees a unit should hold.
#include "storage/sqlite/ops_findings.hpp"
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;
using namespace std::chrono_literals;

namespace {

bytes png_bytes() {
  bytes b{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  for (int i = 0; i < 64; ++i) b.push_back(static_cast<std::uint8_t>(i));
  return b;
}

inspection_request at_vendor(time_point deadline) {
  inspection_request r;
  r.vendor = vendor_info{"路边冻品摊", "南京路 100 号门口", "", ""};
  r.note = "无证摊贩";
  r.findings.push_back({"冻带鱼", "domestic_frozen", 12'000, finding_action::seize, deadline});
  r.findings.push_back({"进口车厘子", "imported_fruit", 3'000, finding_action::stop_selling, {}});
  return r;
}

void audit_replays(fixture& f) {
  f.ledger->close();
  auto report = must(verify_audit_chain(f.file));
  INFO(report.state_problem);
  CHECK(report.state_checked);
  CHECK(report.intact());
}

}  // namespace

TEST_CASE("an inspection at an unregistered vendor records items, a photo and a follow-up",
          "[storage][findings]") {
  fixture f;
  const auto deadline = f.now() + 7 * 24h;
  auto i = must(f.ledger->record_inspection(f.as(f.inspector), at_vendor(deadline)));
  CHECK(i.unit == 0);
  REQUIRE(i.vendor);
  CHECK(i.vendor->name == "路边冻品摊");
  CHECK_FALSE(i.vendor->region.empty());  // the inspector's bureau's region
  CHECK(i.uncoded_items == 2);
  REQUIRE(i.findings.size() == 2);
  const auto seized = i.findings[0].id;

  auto open = must(f.ledger->list_findings(f.admin, {finding_state::open, "", {}, f.now()}, {}));
  REQUIRE(open.size() == 1);  // the item without a deadline has nothing to follow up
  CHECK(open[0].id == seized);
  CHECK(open[0].place_name == "路边冻品摊");
  CHECK(open[0].unit == 0);
  CHECK_FALSE(open[0].overdue);

  auto with_photo =
      must(f.ledger->attach_photo(f.as(f.inspector), {seized, "image/png", png_bytes()}));
  CHECK(with_photo.photo_type == "image/png");
  auto p = must(f.ledger->finding_photo(f.admin, seized));
  CHECK(p.media_type == "image/png");
  CHECK(p.data == png_bytes());

  // Past the deadline it is overdue, until the follow-up closes it.
  auto later = must(
      f.ledger->list_findings(f.inspector, {finding_state::overdue, "", {}, deadline + 1h}, {}));
  REQUIRE(later.size() == 1);
  CHECK(later[0].overdue);
  auto closed =
      must(f.ledger->follow_up(f.as(f.inspector), {seized, "复查：已停止经营，冻品已销毁"}));
  CHECK(closed.closed_at);
  CHECK(closed.closed_by == f.inspector.account);
  CHECK(must(f.ledger->list_findings(f.admin, {finding_state::open, "", {}, f.now()}, {})).empty());
  CHECK(
      must(f.ledger->list_findings(f.admin, {finding_state::closed, "", {}, f.now()}, {})).size() ==
      1);
  CHECK_ERRC(f.ledger->follow_up(f.as(f.inspector), {seized, "again"}), errc::duplicate);

  auto listed = must(f.ledger->list_inspections(f.inspector, std::nullopt, {}));
  REQUIRE(listed.size() == 1);
  REQUIRE(listed[0].vendor);
  CHECK(listed[0].findings.size() == 2);
  audit_replays(f);
}

TEST_CASE("findings refuse bad input and write nothing", "[storage][findings]") {
  fixture f;
  const auto deadline = f.now() + 24h;
  auto i = must(f.ledger->record_inspection(f.as(f.inspector), at_vendor(deadline)));
  const auto id = i.findings[0].id;
  const auto before = f.snapshot();

  SECTION("a unit and a vendor at once") {
    auto r = at_vendor(deadline);
    r.unit = f.shop_unit;
    CHECK_ERRC(f.ledger->record_inspection(f.as(f.inspector), r), errc::invalid_input);
  }
  SECTION("a vendor without a name, a bad credit code, a bad item") {
    auto r = at_vendor(deadline);
    r.vendor->name.clear();
    CHECK_ERRC(f.ledger->record_inspection(f.as(f.inspector), r), errc::invalid_input);
    r = at_vendor(deadline);
    r.vendor->credit_code = "91310000MA1FL0000X";
    CHECK_ERRC(f.ledger->record_inspection(f.as(f.inspector), r), errc::invalid_input);
    r = at_vendor(deadline);
    r.findings[1].category = "frozen_unicorn";
    CHECK_ERRC(f.ledger->record_inspection(f.as(f.inspector), r), errc::invalid_input);
    r = at_vendor(deadline);
    r.findings[1].weight_g = 0;
    CHECK_ERRC(f.ledger->record_inspection(f.as(f.inspector), r), errc::invalid_input);
    r = at_vendor(f.now() - 1h);  // a deadline already passed
    CHECK_ERRC(f.ledger->record_inspection(f.as(f.inspector), r), errc::invalid_input);
  }
  SECTION("photos that are not images, too large, or declared as another type") {
    bytes text{'h', 'e', 'l', 'l', 'o'};
    CHECK_ERRC(f.ledger->attach_photo(f.as(f.inspector), {id, "image/png", text}),
               errc::invalid_input);
    CHECK_ERRC(f.ledger->attach_photo(f.as(f.inspector), {id, "image/jpeg", png_bytes()}),
               errc::invalid_input);
    auto big = png_bytes();
    big.resize(max_photo_bytes + 1);
    CHECK_ERRC(f.ledger->attach_photo(f.as(f.inspector), {id, "image/png", big}),
               errc::invalid_input);
  }
  SECTION("unknown findings, and who may not") {
    CHECK_ERRC(f.ledger->attach_photo(f.as(f.inspector), {id + 99, "image/png", png_bytes()}),
               errc::not_found);
    CHECK_ERRC(f.ledger->follow_up(f.as(f.inspector), {id + 99, "x"}), errc::not_found);
    CHECK_ERRC(f.ledger->attach_photo(f.as(f.admin), {id, "image/png", png_bytes()}),
               errc::forbidden);
    CHECK_ERRC(f.ledger->follow_up(f.as(f.shop), {id, "x"}), errc::forbidden);
    CHECK_ERRC(f.ledger->follow_up(f.as(f.inspector), {id, ""}), errc::invalid_input);
    CHECK_ERRC(f.ledger->list_findings(f.shop, {finding_state::all, "", {}, f.now()}, {}),
               errc::forbidden);
    CHECK_ERRC(f.ledger->finding_photo(f.shop, id), errc::forbidden);
    CHECK_ERRC(f.ledger->finding_photo(f.admin, id), errc::not_found);
  }
  CHECK(f.snapshot() == before);
}

TEST_CASE("the bureau's list by region and unit, and the counts for the statistics",
          "[storage][findings]") {
  fixture f;
  const auto start = f.now();
  const auto deadline = f.now() + 24h;
  inspection_request at_shop{f.shop_unit, {}, 0, "冷柜"};
  at_shop.findings.push_back({"冻虾仁", "domestic_frozen", 500, finding_action::seal, deadline});
  auto shop = must(f.ledger->record_inspection(f.as(f.inspector), at_shop));
  auto vendor = must(f.ledger->record_inspection(f.as(f.inspector), at_vendor(deadline)));
  const auto region = must(f.ledger->get_unit(f.shop_unit)).region;

  auto of_shop =
      must(f.ledger->list_findings(f.admin, {finding_state::open, "", f.shop_unit, f.now()}, {}));
  REQUIRE(of_shop.size() == 1);
  CHECK(of_shop[0].id == shop.findings[0].id);
  CHECK(of_shop[0].region == region);
  CHECK(must(f.ledger->list_findings(f.admin, {finding_state::all, region, {}, f.now()}, {}))
            .size() >= 1);
  CHECK(must(f.ledger->list_findings(f.admin, {finding_state::all, "nowhere", {}, f.now()}, {}))
            .empty());

  must(f.ledger->follow_up(f.as(f.inspector), {vendor.findings[0].id, "已整改"}));
  f.ledger->close();
  auto db = f.on_postgres()
                ? sql::connection::open_postgres(f.file.string())
                : sql::connection::open(f.file, sql::connection::access::read_only, 1000);
  auto n = sql::ops::count_findings(db, start, f.now() + 1s, deadline + 1h);
  CHECK(n.opened == 3);
  CHECK(n.rectified == 1);
  CHECK(n.overdue == 1);  // the shop's, past its deadline and not followed up
}

TEST_CASE("an inspector sees what the ledger says a unit should hold", "[storage][findings]") {
  fixture f;
  auto in = f.released_lot();
  auto code = f.hand_over(in.code.id, f.warehouse, f.shop, 10'000);
  auto expected = must(f.ledger->stock(f.inspector, f.shop_unit));
  REQUIRE(expected.lines.size() == 1);
  CHECK(expected.lines[0].code.id == code.id);
  CHECK(must(f.ledger->stock(f.admin, f.shop_unit)).lines.size() == 1);
  CHECK_ERRC(f.ledger->stock(f.inspector, 9999), errc::not_found);
  CHECK_ERRC(f.ledger->stock(f.canteen, f.shop_unit), errc::forbidden);
}

TEST_CASE("the statistics count uncoded-goods findings, rectifications and overdue ones",
          "[storage][findings]") {
  fixture f;
  const auto start = f.now();
  const auto deadline = f.now() + 24h;
  inspection_request at_shop{f.shop_unit, {}, 0, "冷柜"};
  at_shop.findings.push_back({"冻虾仁", "domestic_frozen", 500, finding_action::seal, deadline});
  at_shop.findings.push_back({"冻鸡爪", "domestic_frozen", 800, finding_action::seize, deadline});
  auto shop = must(f.ledger->record_inspection(f.as(f.inspector), at_shop));
  must(f.ledger->follow_up(f.as(f.inspector), {shop.findings[0].id, "已整改"}));
  // Overdue as at the period's end: none before the deadline, the one left open after it.
  auto s = must(f.ledger->stats(f.admin, {start, f.now() + 1s}));
  CHECK(s.findings.opened == 2);
  CHECK(s.findings.rectified == 1);
  CHECK(s.findings.overdue == 0);
  s = must(f.ledger->stats(f.admin, {start, deadline + 1h}));
  CHECK(s.findings.opened == 2);
  CHECK(s.findings.overdue == 1);
}
