// The RAII wrapper over libpq (storage/postgres/pg.hpp), against the throwaway cluster.
#include "storage/postgres/pg.hpp"
#include "tests/storage/pg_support.hpp"

#include <functional>
#include <limits>

namespace coldtrace::storage::test {
namespace {

using coldtrace::test::hex;

std::string sqlstate_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const pg::failure& e) {
    return e.sqlstate;
  }
  return "no failure";
}

}  // namespace

TEST_CASE("pg: a PostgreSQL URI selects the backend, anything else is a SQLite file",
          "[storage][postgres]") {
  CHECK(pg::is_uri("postgresql://u:p@127.0.0.1:5432/ledger"));
  CHECK(pg::is_uri("postgres://127.0.0.1/ledger"));
  CHECK_FALSE(pg::is_uri("ledger.db"));
  CHECK_FALSE(pg::is_uri("/var/lib/coldtrace/postgresql.db"));
  CHECK_FALSE(pg::is_uri("POSTGRESQL-notes.db"));
}

TEST_CASE("pg: mask_uri hides the password and keeps the rest", "[storage][postgres]") {
  auto [uri, masked] = GENERATE(table<std::string, std::string>({
      {"postgresql://ct:s3cret@127.0.0.1:5432/ledger", "postgresql://ct:***@127.0.0.1:5432/ledger"},
      {"postgresql://ct:a%40b%2F@db.example/ledger?sslmode=require",
       "postgresql://ct:***@db.example/ledger?sslmode=require"},
      {"postgresql://ct@127.0.0.1/ledger", "postgresql://ct@127.0.0.1/ledger"},
      {"postgresql://127.0.0.1/ledger?user=ct&password=s3cret&sslmode=disable",
       "postgresql://127.0.0.1/ledger?user=ct&password=***&sslmode=disable"},
      {"postgres://127.0.0.1/x?password=s3cret", "postgres://127.0.0.1/x?password=***"},
  }));
  CHECK(pg::mask_uri(uri) == masked);
}

TEST_CASE("pg: parameters and columns round-trip", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  auto c = pg::connection::open(db.uri);
  const auto min = std::numeric_limits<std::int64_t>::min();
  const auto max = std::numeric_limits<std::int64_t>::max();
  const auto blob = hex("00ff0001");
  auto r = c.query(
      "SELECT $1::bigint, $2::bigint, $3::text, $4::text, $5::bytea, $6::bytea,"
      " $7::bigint, $8::text, $9::bigint",
      min, max, std::string{"智利车厘子 JJ级"}, "", blob, bytes{}, std::optional<std::int64_t>{},
      std::nullopt, std::optional<std::int64_t>{42});
  REQUIRE(r.rows() == 1);
  REQUIRE(r.columns() == 9);
  CHECK(r.int64(0, 0) == min);
  CHECK(r.int64(0, 1) == max);
  CHECK(r.text(0, 2) == "智利车厘子 JJ级");
  CHECK(r.text(0, 3).empty());
  CHECK_FALSE(r.is_null(0, 3));
  CHECK(r.blob(0, 4) == blob);
  CHECK(r.blob(0, 5).empty());
  CHECK_FALSE(r.is_null(0, 5));
  CHECK(r.is_null(0, 6));
  CHECK_FALSE(r.opt_int64(0, 6));
  CHECK(r.is_null(0, 7));
  CHECK(r.opt_int64(0, 8) == 42);
  CHECK_THROWS_AS(r.int64(0, 2), pg::failure);  // text is not an integer
}

TEST_CASE("pg: a transaction rolls back unless it commits", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  auto c = pg::connection::open(db.uri);
  c.exec_script("CREATE TABLE t (id bigint PRIMARY KEY, v text NOT NULL);");
  auto count = [&] { return c.query("SELECT count(*) FROM t").int64(0, 0); };

  SECTION("left without commit") {
    {
      pg::transaction t{c};
      c.query("INSERT INTO t VALUES ($1, $2)", 1, "a");
    }
    CHECK(count() == 0);
  }
  SECTION("committed") {
    pg::transaction t{c};
    auto r = c.query("INSERT INTO t VALUES ($1, $2), ($3, $4)", 1, "a", 2, "b");
    CHECK(r.affected() == 2);
    t.commit();
    CHECK(count() == 2);
  }
  SECTION("a failed statement makes the commit fail, not pass for one") {
    pg::transaction t{c};
    c.query("INSERT INTO t VALUES ($1, $2)", 1, "a");
    CHECK_THROWS_AS(c.query("INSERT INTO t VALUES ($1, $2)", 1, "again"), pg::failure);
    CHECK_THROWS_AS(t.commit(), pg::failure);
    CHECK(count() == 0);
  }
}

TEST_CASE("pg: failures carry the SQLSTATE", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  auto c = pg::connection::open(db.uri);
  c.exec_script("CREATE TABLE t (id bigint PRIMARY KEY);");
  c.query("INSERT INTO t VALUES ($1)", 7);
  CHECK(sqlstate_of([&] { c.query("INSERT INTO t VALUES ($1)", 7); }) == pg::unique_violation);
  CHECK(sqlstate_of([&] { c.exec("SELEC 1"); }) == "42601");  // syntax_error
  CHECK(sqlstate_of([&] { c.exec("SELECT * FROM missing"); }) == "42P01");
}

TEST_CASE("pg: a connection error names the server, never the password", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  // The same server with a wrong password.
  const auto at = db.uri.find('@');
  const auto colon = db.uri.rfind(':', at);
  const std::string wrong = db.uri.substr(0, colon + 1) + "not-the-password" + db.uri.substr(at);
  try {
    pg::connection::open(wrong);
    FAIL("connected with a wrong password");
  } catch (const pg::failure& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.find("not-the-password") == std::string::npos);
    CHECK(what.find("***@127.0.0.1") != std::string::npos);
    CHECK(what.find("password authentication failed") != std::string::npos);
  }
}

TEST_CASE("pg: a transaction-scoped advisory lock serialises two connections",
          "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  auto a = pg::connection::open(db.uri);
  auto b = pg::connection::open(db.uri);
  auto try_lock = [](pg::connection& c) {
    return c.query("SELECT pg_try_advisory_xact_lock($1)", 1).boolean(0, 0);
  };
  {
    pg::transaction ta{a};
    REQUIRE(try_lock(a));
    pg::transaction tb{b};
    CHECK_FALSE(try_lock(b));
    ta.commit();  // the lock goes with the transaction
    CHECK(try_lock(b));
  }
}

}  // namespace coldtrace::storage::test
