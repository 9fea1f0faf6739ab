// The ledger on PostgreSQL through its interface, with two ledgers (two servers) writing to
// one database at once.
#include "storage/demo.hpp"
#include "storage/postgres_ledger.hpp"
#include "tests/storage/fixture.hpp"
#include "tests/storage/pg_support.hpp"

#include <thread>

namespace coldtrace::storage::test {
namespace {

struct two_servers {
  pg_database db;
  std::shared_ptr<codec::signing_key> key =
      std::make_shared<codec::signing_key>(codec::signing_key::generate().value());
  std::unique_ptr<sqlite_ledger> a, b;
  actor warehouse, shop;
  unit_id shop_unit = 0;
  time_point at{std::chrono::seconds{1709251200}};

  context as(const actor& x) {
    at += std::chrono::seconds{60};
    return {x, at};
  }

  two_servers() {
    a = must(open_postgres_ledger({db.uri, key}));
    b = must(open_postgres_ledger({db.uri, key}));
    const auto admin = actor::local_admin();
    const auto w =
        must(a->register_unit(as(admin), {with_check_character("91310115MA1H00001"),
                                          "浦东集中监管仓", unit_kind::warehouse, "上海市"}))
            .id;
    shop_unit = must(b->register_unit(as(admin), {with_check_character("92310104MA1H00004"),
                                                  "天平路生鲜超市", unit_kind::seller, "上海市"}))
                    .id;
    auto t = must(a->create_account(as(admin), {w, account_role::warehouse, "张伟"}));
    warehouse = {t.account.id, t.account.unit, t.account.role};
    t = must(b->create_account(as(admin), {shop_unit, account_role::unit_operator, "刘洋"}));
    shop = {t.account.id, t.account.unit, t.account.role};
  }

  // Intake on one server, the rest of the way to release on the other.
  intake_result released_lot(std::int64_t grams) {
    auto in = must(
        a->intake(as(warehouse), {"智利车厘子 JJ级", "imported_fruit", "CL", grams, 200, "上海鲜丰",
                                  "223320241000012345", "QC-2024-0001", "沪A·12345"}));
    auto s = must(b->add_sample(as(warehouse), {in.lot.id, sample_type::food_surface, at, "张伟"}));
    must(b->record_result(as(warehouse), {s.id, test_outcome::negative, "海关实验室", "R-1", at}));
    must(a->record_disinfection(as(warehouse), {in.lot.id, "过氧乙酸 0.2%", at, "张伟", "D-1"}));
    must(b->release(as(warehouse), in.lot.id));
    return in;
  }
};

}  // namespace

TEST_CASE("pg: two servers on one database share one history", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  two_servers s;
  auto lot = s.released_lot(1'000'000);
  CHECK(must(s.b->verify(lot.code.signed_code)).verdict == verdict::valid);
  auto child = must(s.b->dispatch(s.as(s.warehouse), {lot.code.id, s.shop_unit, 300'000}));
  must(s.a->receive(s.as(s.shop), child.id));
  auto sale = must(s.b->sale_check(s.as(s.shop), {child.signed_code, s.shop_unit, 1'000}));
  CHECK(sale.verdict == verdict::valid);
  CHECK(sale.remaining_g == 299'000);

  // A recall on one server is what the other's next verification says.
  must(s.a->recall(s.as(actor::local_admin()), {lot.lot.id, "外包装核酸阳性"}));
  CHECK(must(s.b->verify(child.signed_code)).verdict == verdict::recalled);
  CHECK(must(s.b->verify(lot.code.signed_code)).verdict == verdict::recalled);
  const auto blocked_a = must(s.a->blocked());
  const auto blocked_b = must(s.b->blocked());
  CHECK(blocked_a.entries.size() == 1);
  CHECK(blocked_b.entries.size() == blocked_a.entries.size());

  const auto chain_a = must(s.a->verify_chain());
  const auto chain_b = must(s.b->verify_chain());
  CHECK_FALSE(chain_a.first_bad);
  CHECK(chain_a.events == chain_b.events);
  CHECK(chain_a.events >= 13);  // one per write at least
}

TEST_CASE("pg: two servers dispatching and selling at once conserve every gram",
          "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  two_servers s;
  auto lot = s.released_lot(100'000);
  // The shop receives 60 kg; then both servers dispatch 2 kg lots from the root (40 kg left)
  // and sell 1 kg at the shop (60 kg), more than either holds, at the same time.
  auto child = must(s.a->dispatch(s.as(s.warehouse), {lot.code.id, s.shop_unit, 60'000}));
  must(s.b->receive(s.as(s.shop), child.id));
  const auto at = s.at;
  std::vector<int> dispatched(2), sold(2);
  std::vector<std::string> errors(2);
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 2; ++i)
      threads.emplace_back([&, i] {
        auto& ledger = i == 0 ? *s.a : *s.b;
        for (int n = 0; n < 40; ++n) {
          auto d = ledger.dispatch({s.warehouse, at}, {lot.code.id, s.shop_unit, 2'000});
          if (d)
            ++dispatched[i];
          else if (d.error().code != make_error_code(errc::insufficient_quantity))
            errors[i] = d.error().message;
          auto r = ledger.sale_check({s.shop, at}, {child.signed_code, s.shop_unit, 1'000});
          if (r && r->sale)
            ++sold[i];
          else if (!r)
            errors[i] = r.error().message;
        }
      });
  }
  CHECK(errors[0].empty());
  CHECK(errors[1].empty());
  CHECK(dispatched[0] + dispatched[1] == 20);  // 40 kg in 2 kg
  CHECK(sold[0] + sold[1] == 60);              // 60 kg in 1 kg
  CHECK(must(s.a->get_code(actor::local_admin(), lot.code.id)).remaining_g == 0);
  CHECK(must(s.b->get_code(actor::local_admin(), child.id)).remaining_g == 0);
  const auto chain = must(s.b->verify_chain());
  CHECK_FALSE(chain.first_bad);
}

}  // namespace coldtrace::storage::test

namespace coldtrace::storage::test {
namespace {

// What the reads say about a ledger, as text: equal on both databases for the same writes.
std::string reads_of(ledger& l) {
  const auto me = actor::local_admin();
  std::string out;
  const auto s = must(l.stats(me, {time_point{}, time_point{std::chrono::seconds{4'000'000'000}}}));
  for (const auto& c : s.intake)
    out += c.category + " " + std::to_string(c.lots) + " " + std::to_string(c.net_weight_g) + "\n";
  for (auto n : {s.samples_taken, s.results_negative, s.results_positive, s.lots_released,
                 s.lots_quarantined, s.codes_issued, s.sale_checks, s.sales, s.sold_g, s.recalls,
                 s.inspections, s.inspected_codes, s.uncoded_items})
    out += std::to_string(n) + " ";
  for (const auto& [v, n] : s.sale_checks_denied)
    out += std::string{to_string(v)} + "=" + std::to_string(n) + " ";
  for (const auto& [k, n] : s.units_by_kind)
    out += std::string{to_string(k)} + "=" + std::to_string(n) + " ";
  out += "\nlots:";
  for (const auto& lot : must(l.list_lots(me, {}, {0, 1000}))) {
    out += " " + std::to_string(lot.id) + "/" + std::string{to_string(lot.status)};
    const auto t = must(l.trace_lot(me, lot.id));
    out += "/" + std::to_string(t.descendants.size());
  }
  out += "\ncodes " + std::to_string(must(l.list_codes(me, std::nullopt, {0, 1000})).size());
  out += " sales " + std::to_string(must(l.list_sales(me, {0, 1000})).size());
  out += " inspections " +
         std::to_string(must(l.list_inspections(me, std::nullopt, {0, 1000})).size());
  out += " events " + std::to_string(must(l.verify_chain()).events);
  out += " blocked " + std::to_string(must(l.blocked()).entries.size());
  return out;
}

}  // namespace

TEST_CASE("pg: the demo data reads the same on PostgreSQL as on SQLite", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  const auto start = time_point{std::chrono::seconds{1717200000}};  // 2024-06-01
  auto key = std::make_shared<codec::signing_key>(codec::signing_key::generate().value());
  temp_dir dir;
  auto lite = must(sqlite_ledger::open({dir.path / "ledger.db", key}));
  must(populate_demo(*lite, start));
  pg_database db;
  auto pgl = must(open_postgres_ledger({db.uri, key}));
  must(populate_demo(*pgl, start));
  const auto expected = reads_of(*lite);
  INFO(expected);
  CHECK(reads_of(*pgl) == expected);
}

}  // namespace coldtrace::storage::test
