// The operations' own code (sqlite/ops_*.cpp, audit.cpp) on a PostgreSQL connection, with
// several connections (servers) writing to one database at once.
#include "storage/postgres/engine.hpp"
#include "storage/postgres_ledger.hpp"
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
#include "tests/storage/fixture.hpp"
#include "tests/storage/pg_support.hpp"

#include <boost/json/object.hpp>

#include <thread>

namespace coldtrace::storage::test {
namespace {

// One write as the writer runs it: a write transaction (the writer lock on PostgreSQL).
template <class F>
auto write(sql::connection& c, F&& f) {
  sql::transaction t{c, sql::transaction::mode::immediate};
  auto r = f();
  if (r) t.commit();
  return r;
}

// Units, accounts and a released lot of `grams`, written through the operations.
struct cast {
  std::shared_ptr<codec::signing_key> key =
      std::make_shared<codec::signing_key>(codec::signing_key::generate().value());
  actor warehouse, shop;
  unit_id shop_unit = 0;
  intake_result lot;
  time_point at{std::chrono::seconds{1709251200}};

  context as(const actor& a) {
    at += std::chrono::seconds{60};
    return {a, at};
  }

  cast(sql::connection& c, std::int64_t grams) {
    const auto admin = actor::local_admin();
    auto unit = [&](std::string_view first17, unit_kind kind) {
      unit_request r{with_check_character(first17), "单位", kind, "上海市"};
      return must(write(c, [&] { return sql::ops::register_unit(c, as(admin), r); })).id;
    };
    auto account = [&](unit_id u, account_role role) {
      auto t = must(write(c, [&] {
        return sql::ops::create_account(c, as(admin), {u, role, "x"});
      }));
      return actor{t.account.id, t.account.unit, t.account.role};
    };
    const auto w = unit("91310115MA1H00001", unit_kind::warehouse);
    shop_unit = unit("92310104MA1H00004", unit_kind::seller);
    warehouse = account(w, account_role::warehouse);
    shop = account(shop_unit, account_role::unit_operator);
    intake_request r{
        "智利车厘子 JJ级",        "imported_fruit",     "CL",           grams,      200,
        "上海鲜丰进出口有限公司", "223320241000012345", "QC-2024-0001", "沪A·12345"};
    lot = must(write(c, [&] { return sql::ops::intake(c, as(warehouse), r, key.get()); }));
    auto s = must(write(c, [&] {
      return sql::ops::add_sample(c, as(warehouse),
                                  {lot.lot.id, sample_type::food_surface, at, "张伟"});
    }));
    must(write(c, [&] {
      return sql::ops::record_result(c, as(warehouse),
                                     {s.id, test_outcome::negative, "海关实验室", "R-1", at});
    }));
    must(write(c, [&] {
      return sql::ops::record_disinfection(c, as(warehouse),
                                           {lot.lot.id, "过氧乙酸 0.2%", at, "张伟", "D-1"});
    }));
    must(write(c, [&] { return sql::ops::release(c, as(warehouse), lot.lot.id); }));
  }
};

}  // namespace

TEST_CASE("pg: SQLite's ? and ?N parameters become $n", "[storage][postgres]") {
  auto [in, out] = GENERATE(table<std::string, std::string>({
      {"SELECT ?, ? FROM t", "SELECT $1, $2 FROM t"},
      {"WHERE a = ?2 AND b = ?1 LIMIT ?3", "WHERE a = $2 AND b = $1 LIMIT $3"},
      {"WHERE a = ?2 AND b = ?", "WHERE a = $2 AND b = $3"},
      {"SELECT '?', \"?\" , ?", "SELECT '?', \"?\" , $1"},
      {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
  }));
  CHECK(sql::translate_placeholders(in) == out);
}

TEST_CASE("pg: a statement with parameters is prepared on its second run, once per type list",
          "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  auto c = sql::connection::open_postgres(db.uri);
  auto prepared = [&] {
    auto q = c.query("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'ct\\_%'");
    REQUIRE(q.step());
    return q.int64(0);
  };
  auto add = [&](std::optional<std::int64_t> v, bool typed = true) {
    auto q = c.query("SELECT coalesce(?, 0) + 1");
    if (typed)
      q.bind(1, v);  // bigint, a NULL too
    else
      q.bind(1, std::nullopt);  // a NULL whose type the server infers: another type list
    REQUIRE(q.step());
    return q.int64(0);
  };
  CHECK(add(1) == 2);
  CHECK(prepared() == 0);  // run once: not prepared
  CHECK(add(2) == 3);
  CHECK(prepared() == 1);  // the second run prepared it
  CHECK(add(41) == 42);
  CHECK(add(std::nullopt) == 1);
  CHECK(prepared() == 1);  // the same statement since
  CHECK(add(std::nullopt, false) == 1);
  CHECK(prepared() == 1);
  CHECK(add(std::nullopt, false) == 1);
  CHECK(prepared() == 2);
  // Statements without parameters are never prepared.
  for (int i = 0; i < 3; ++i) prepared();
  CHECK(prepared() == 2);
}

TEST_CASE("pg: the lot lifecycle's operations run unchanged on PostgreSQL", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  must(migrate_postgres(db.uri));
  auto c = sql::connection::open_postgres(db.uri);
  cast k{c, 1'000'000};
  auto child = must(write(c, [&] {
    return sql::ops::dispatch(c, k.as(k.warehouse), {k.lot.code.id, k.shop_unit, 400'000},
                              k.key.get());
  }));
  CHECK(child.quantity_g == 400'000);
  CHECK(child.status == code_status::pending);
  must(write(c, [&] { return sql::ops::receive(c, k.as(k.shop), child.id); }));
  auto sale = must(write(c, [&] {
    return sql::ops::sale_check(c, k.as(k.shop), {child.signed_code, k.shop_unit, 1'500});
  }));
  CHECK(sale.verdict == verdict::valid);
  CHECK(sale.remaining_g == 398'500);
  CHECK(sql::ops::verify(c, child.signed_code).verdict == verdict::valid);
  auto root = c.query("SELECT remaining_g FROM codes WHERE id = ?");
  root.bind(1, k.lot.code.id);
  REQUIRE(root.step());
  CHECK(root.int64(0) == 600'000);

  must(write(c, [&] {
    return sql::ops::recall(c, k.as(actor::local_admin()), {k.lot.lot.id, "阳性"});
  }));
  CHECK(sql::ops::verify(c, child.signed_code).verdict == verdict::recalled);
  CHECK(sql::ops::blocked(c).entries.size() == 1);
  const auto chain = sql::verify_chain(c);
  CHECK_FALSE(chain.first_bad);
  CHECK(chain.events >= 12);
}

TEST_CASE("pg: two servers dispatching from one code conserve its quantity and one chain",
          "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  must(migrate_postgres(db.uri));
  auto setup = sql::connection::open_postgres(db.uri);
  cast k{setup, 100'000};
  const auto events_before = sql::verify_chain(setup).events;

  // Each server asks for 40 dispatches of 2 kg: 160 kg asked of 100 kg held, at the same time.
  constexpr int per_server = 40;
  std::vector<std::vector<bool>> outcomes(2);
  std::vector<std::string> errors(2);
  {
    std::vector<std::jthread> servers;
    for (int s = 0; s < 2; ++s)
      servers.emplace_back([&, s] {
        try {
          auto c = sql::connection::open_postgres(db.uri);
          for (int i = 0; i < per_server; ++i) {
            const context ctx{k.warehouse, k.at + std::chrono::seconds{i}};
            auto r = write(c, [&] {
              return sql::ops::dispatch(c, ctx, {k.lot.code.id, k.shop_unit, 2'000}, k.key.get());
            });
            outcomes[s].push_back(static_cast<bool>(r));
            if (!r && r.error().code != make_error_code(errc::insufficient_quantity))
              errors[s] = r.error().message;
          }
        } catch (const std::exception& e) {
          errors[s] = e.what();
        }
      });
  }
  CHECK(errors[0].empty());
  CHECK(errors[1].empty());
  int ok = 0;
  for (const auto& o : outcomes)
    for (bool b : o) ok += b;
  CHECK(ok == 50);  // 100 kg in 2 kg dispatches, whoever asked
  auto q = setup.query(
      "SELECT (SELECT remaining_g FROM codes WHERE id = ?1),"
      " (SELECT coalesce(sum(quantity_g), 0) FROM codes WHERE parent_id = ?1),"
      " (SELECT children FROM codes WHERE id = ?1)");
  q.bind(1, k.lot.code.id);
  REQUIRE(q.step());
  CHECK(q.int64(0) == 0);
  CHECK(q.int64(1) == 100'000);
  CHECK(q.int64(2) == 50);
  const auto chain = sql::verify_chain(setup);
  CHECK_FALSE(chain.first_bad);
  CHECK(chain.events == events_before + 50);
}

}  // namespace coldtrace::storage::test
