// A lot's details at intake (issue 11): kept, checked, searched by what a customs notice names,
// and proven by the replay like every other column.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

lot_details chilean_details() {
  lot_details d;
  d.manufacturer = "Frutícola Los Andes S.A.";
  d.plant_registration = "CL-07-1234";
  d.production_date = "2024-01-20";
  d.batch_number = "LA-2401-17";
  d.storage_temp_c = 4;
  return d;
}

std::vector<lot_id> ids(const std::vector<lot_record>& lots) {
  std::vector<lot_id> out;
  for (const auto& l : lots) out.push_back(l.id);
  return out;
}

}  // namespace

TEST_CASE("a lot's details at intake are kept and read back", "[storage]") {
  fixture f;
  auto r = f.import_request();
  r.details = chilean_details();
  auto in = must(f.ledger->intake(f.as(f.warehouse), r));
  CHECK(in.lot.details == r.details);
  CHECK(must(f.ledger->get_lot(f.warehouse, in.lot.id)).lot.details == r.details);
  auto meat = f.import_request("domestic_frozen");
  meat.details.animal_quarantine_certificate = "3101234567";
  meat.details.storage_temp_c = -18;
  auto pork = must(f.ledger->intake(f.as(f.warehouse), meat));
  CHECK(must(f.ledger->get_lot(f.inspector, pork.lot.id)).lot.details == meat.details);
  // Without details, nothing changes.
  auto plain = f.intake();
  CHECK(plain.lot.details == lot_details{});
}

TEST_CASE("a lot's details are checked, and a bad one writes nothing", "[storage]") {
  fixture f;
  const auto lots = f.scalar("SELECT count(*) FROM lots");
  auto refused = [&](auto set, std::string_view detail) {
    auto r = f.import_request();
    set(r.details);
    auto out = f.ledger->intake(f.as(f.warehouse), r);
    REQUIRE_FALSE(out);
    CHECK(out.error().code == errc::invalid_input);
    CHECK(out.error().detail == detail);
  };
  refused([](lot_details& d) { d.production_date = "2024-13-01"; }, "intake.production_date");
  refused([](lot_details& d) { d.production_date = "20240501"; }, "intake.production_date");
  refused([](lot_details& d) { d.production_date = "1989-12-31"; }, "intake.production_date");
  refused([](lot_details& d) { d.production_date = "2999-01-01"; },
          "intake.production_date");  // after intake
  refused([](lot_details& d) { d.storage_temp_c = -81; }, "intake.storage_temp");
  refused([](lot_details& d) { d.storage_temp_c = 31; }, "intake.storage_temp");
  refused([](lot_details& d) { d.manufacturer = std::string(201, 'x'); }, "text.too_long");
  refused([](lot_details& d) { d.batch_number = "B\x01"; }, "text.control");
  CHECK(f.scalar("SELECT count(*) FROM lots") == lots);
}

TEST_CASE("lots are searched by customs number, certificate, product, batch and intake day",
          "[storage]") {
  fixture f;
  auto r = f.import_request();
  r.details = chilean_details();
  auto cherries = must(f.ledger->intake(f.as(f.warehouse), r)).lot.id;
  auto meat = f.import_request("domestic_frozen");
  meat.product = "冷冻猪肉 100%瘦";
  meat.details.animal_quarantine_certificate = "3101234567";
  auto pork = must(f.ledger->intake(f.as(f.warehouse), meat)).lot.id;
  auto other = f.import_request();
  other.customs_number = "220120241000999999";
  other.quarantine_certificate = "310000124000999";
  auto apples = must(f.ledger->intake(f.as(f.warehouse), other)).lot.id;
  auto search = [&](const actor& by, auto set) {
    lot_filter q;
    set(q);
    return ids(must(f.ledger->list_lots(by, q, {})));
  };
  using v = std::vector<lot_id>;
  CHECK(search(f.inspector, [&](lot_filter& q) { q.customs_number = r.customs_number; }) ==
        v{cherries});
  CHECK(search(f.inspector, [&](lot_filter& q) { q.certificate = r.quarantine_certificate; }) ==
        v{cherries});
  CHECK(search(f.inspector, [&](lot_filter& q) { q.certificate = "3101234567"; }) == v{pork});
  CHECK(search(f.inspector, [&](lot_filter& q) { q.product = "猪肉"; }) == v{pork});
  CHECK(search(f.inspector, [&](lot_filter& q) { q.product = "100%"; }) ==
        v{pork});  // % is a character here
  CHECK(search(f.inspector, [&](lot_filter& q) { q.product = "%"; }) == v{pork});
  CHECK(search(f.inspector, [&](lot_filter& q) { q.product = "_"; }).empty());
  CHECK(search(f.inspector, [&](lot_filter& q) { q.category = "domestic_frozen"; }) == v{pork});
  CHECK(search(f.inspector, [&](lot_filter& q) { q.batch_number = "LA-2401-17"; }) == v{cherries});
  CHECK(search(f.inspector, [&](lot_filter& q) {
          q.product = "车厘子";
          q.customs_number = other.customs_number;
        }) == v{apples});
  CHECK(search(f.inspector, [&](lot_filter& q) { q.from = f.now() - std::chrono::hours{1}; }) ==
        v{cherries, pork, apples});
  CHECK(
      search(f.inspector, [&](lot_filter& q) { q.to = f.now() - std::chrono::hours{1}; }).empty());
  CHECK(search(f.warehouse, [&](lot_filter& q) { q.customs_number = r.customs_number; }) ==
        v{cherries});
  // Another warehouse finds nothing of this one's, whatever it knows of the papers.
  CHECK(search(f.warehouse2, [&](lot_filter& q) { q.customs_number = r.customs_number; }).empty());
  // Paged like the plain list.
  lot_filter fruit;
  fruit.category = "imported_fruit";
  CHECK(ids(must(f.ledger->list_lots(f.inspector, fruit, {cherries, 10}))) == v{apples});
}

TEST_CASE("a lot's details are proven by the replay", "[storage]") {
  fixture f;
  auto r = f.import_request();
  r.details = chilean_details();
  must(f.ledger->intake(f.as(f.warehouse), r));
  f.intake();
  f.ledger->close();
  f.ledger.reset();
  auto report = must(verify_audit_chain(f.file));
  INFO(report.state_problem);
  CHECK(report.intact());
  CHECK(report.state_checked);
  CHECK(report.unproven == 0);
  // A detail changed with SQL afterwards is named.
  exec_on(f.file, "UPDATE lots SET production_date = '2024-01-21' WHERE batch_number <> ''");
  report = must(verify_audit_chain(f.file));
  CHECK_FALSE(report.intact());
  CHECK(report.state_problem.find("production_date") != std::string::npos);
}
