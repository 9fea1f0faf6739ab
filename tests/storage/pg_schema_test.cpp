// The schema on PostgreSQL: the same migrations and the same tables as on SQLite.
#include "storage/postgres/schema.hpp"
#include "storage/postgres_ledger.hpp"
#include "storage/sqlite/schema.hpp"
#include "tests/storage/fixture.hpp"
#include "tests/storage/pg_support.hpp"

#include <map>
#include <set>
#include <thread>

namespace coldtrace::storage::test {
namespace {

// table -> "column type [not null]" for every column, and the names of the secondary indexes.
struct shape {
  std::map<std::string, std::set<std::string>> columns;
  std::set<std::string> indexes;
};

shape sqlite_shape(const std::filesystem::path& file) {
  auto c = sql::connection::open(file, sql::connection::access::read_only, 5000);
  shape s;
  auto tables = c.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  while (tables.step()) {
    const auto table = tables.text(0);
    auto cols = c.query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)");
    cols.with(table);
    while (cols.step()) {
      const auto type = cols.text(1);
      const std::string pg_type = type == "INTEGER" ? "bigint" : type == "BLOB" ? "bytea" : "text";
      const bool not_null = cols.int64(2) != 0 || cols.int64(3) != 0;
      s.columns[table].insert(cols.text(0) + " " + pg_type + (not_null ? " not null" : ""));
    }
  }
  auto idx = c.query(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'");
  while (idx.step()) s.indexes.insert(idx.text(0));
  return s;
}

shape pg_shape(const std::string& uri) {
  auto c = pg::connection::open(uri);
  shape s;
  auto cols = c.exec(
      "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
      " WHERE table_schema = 'public' AND table_name <> 'schema_version'");
  for (int r = 0; r < cols.rows(); ++r)
    s.columns[std::string{cols.text(r, 0)}].insert(std::string{cols.text(r, 1)} + " " +
                                                   std::string{cols.text(r, 2)} +
                                                   (cols.text(r, 3) == "NO" ? " not null" : ""));
  // Primary keys and UNIQUE constraints have indexes of their own names on both sides.
  auto idx = c.exec(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
      " AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'");
  for (int r = 0; r < idx.rows(); ++r) s.indexes.insert(std::string{idx.text(r, 0)});
  return s;
}

}  // namespace

TEST_CASE("pg: every SQLite migration has a PostgreSQL twin of the same number and name",
          "[storage][postgres]") {
  const auto lite = sql::migrations();
  const auto pgm = pg::migrations();
  for (std::size_t i = 0; i < lite.size(); ++i) {
    INFO("SQLite migration " << lite[i].version << " (" << lite[i].name
                             << ") needs its PostgreSQL twin in storage/postgres/schema.cpp");
    REQUIRE(i < pgm.size());
    CHECK(pgm[i].version == lite[i].version);
    CHECK(std::string{pgm[i].name} == lite[i].name);
  }
  CHECK(pgm.size() == lite.size());
}

TEST_CASE("pg: both backends have the same tables, columns and indexes", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  temp_dir dir;
  const auto file = dir.path / "ledger.db";
  REQUIRE(must(migrate_database(file)) == sql::latest_version());
  pg_database db;
  REQUIRE(must(migrate_postgres(db.uri)) == pg::latest_version());
  const auto lite = sqlite_shape(file);
  const auto pgs = pg_shape(db.uri);
  REQUIRE(lite.columns.size() > 10);
  CHECK(pgs.columns == lite.columns);
  CHECK(pgs.indexes == lite.indexes);
}

TEST_CASE("pg: migrations run once, also when several servers start together",
          "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  std::vector<result<int>> got(4, fail(errc::storage_failure, "not run"));
  {
    std::vector<std::jthread> servers;
    for (auto& g : got) servers.emplace_back([&g, &db] { g = migrate_postgres(db.uri); });
  }
  for (const auto& g : got) CHECK(must(g) == pg::latest_version());
  CHECK(must(migrate_postgres(db.uri)) == pg::latest_version());
  auto c = pg::connection::open(db.uri);
  CHECK(c.exec("SELECT count(*) FROM schema_version").int64(0, 0) == pg::latest_version());
}

TEST_CASE("pg: migration 2 fills the lot test summary from the existing rows",
          "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  must(migrate_postgres(db.uri));
  auto c = pg::connection::open(db.uri);
  // Back to version 1, as a database written before migrations 2 to 12 existed.
  c.exec_script(
      "DROP TABLE published_keys;"
      " DROP TABLE inspection_photos; DROP TABLE inspection_findings;"
      " ALTER TABLE inspections DROP COLUMN vendor_name, DROP COLUMN vendor_address,"
      " DROP COLUMN vendor_credit_code, DROP COLUMN vendor_region,"
      " ALTER COLUMN unit_id SET NOT NULL;"
      " DROP INDEX lots_by_customs, lots_by_certificate;"
      " ALTER TABLE lots DROP COLUMN manufacturer, DROP COLUMN plant_registration,"
      " DROP COLUMN production_date, DROP COLUMN batch_number, DROP COLUMN storage_temp_c,"
      " DROP COLUMN animal_quarantine_certificate;"
      " DROP TABLE code_scans; DROP TABLE scan_counts; CREATE TABLE verification_counts ("
      " day bigint NOT NULL, verdict text NOT NULL, n bigint NOT NULL, PRIMARY KEY (day, verdict));"
      " DROP TABLE recall_holders; DROP TABLE recall_proposals;"
      " ALTER TABLE recalls DROP CONSTRAINT recalls_lot_id_split_path_key, DROP COLUMN code_id,"
      " DROP COLUMN split_path, ADD CONSTRAINT recalls_lot_id_key UNIQUE (lot_id);"
      " DROP TABLE sessions; DROP TABLE passwords;"
      " DROP TABLE checkpoints; DROP TABLE idempotency_keys;"
      " ALTER TABLE lots DROP COLUMN samples, DROP COLUMN negative, DROP COLUMN positive,"
      " DROP COLUMN last_disinfection_at, DROP COLUMN last_disinfection_agent;"
      " DELETE FROM schema_version WHERE version > 1;"
      " INSERT INTO units (credit_code, name, kind, region, registered_at)"
      " VALUES ('91310115MA1H00001X', '仓', 'warehouse', '上海市', 0);"
      " INSERT INTO lots (warehouse_id, product, category, origin, net_weight_g, packages,"
      " consignor, customs_number, quarantine_certificate, vehicle, intake_at, status)"
      " VALUES (1, '车厘子', 'imported_fruit', 'CL', 1000, 1, 'c', 'n', 'q', 'v', 0, 'held');"
      " INSERT INTO samples (lot_id, type, collected_at, collector) VALUES"
      " (1, 'food_surface', 1, 'a'), (1, 'environment', 2, 'b'), (1, 'outer_packaging', 3, 'c');"
      " INSERT INTO results VALUES (1, 'negative', 'lab', 'R1', 5), (2, 'positive', 'lab', 'R2', "
      "6);"
      " INSERT INTO disinfections (lot_id, agent, performed_at, operator_name, certificate) VALUES"
      " (1, '过氧乙酸 0.2%', 9, 'o', 'C1'), (1, '次氯酸钠', 7, 'o', 'C2');");
  CHECK(must(migrate_postgres(db.uri)) == pg::latest_version());
  auto r = c.exec(
      "SELECT samples, negative, positive, last_disinfection_at, last_disinfection_agent"
      " FROM lots");
  CHECK(r.int64(0, 0) == 3);
  CHECK(r.int64(0, 1) == 1);
  CHECK(r.int64(0, 2) == 1);
  CHECK(r.int64(0, 3) == 9);
  CHECK(r.text(0, 4) == "过氧乙酸 0.2%");
}

TEST_CASE("pg: a database from a newer coldtrace is not migrated", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database db;
  must(migrate_postgres(db.uri));
  pg::connection::open(db.uri).exec("INSERT INTO schema_version (version, name) VALUES (99, 'x')");
  auto r = migrate_postgres(db.uri);
  CHECK_ERRC(r, errc::schema_too_new);
  CHECK_THAT(r.error().message, Catch::Contains("***@") && Catch::Contains("version 99"));
}

}  // namespace coldtrace::storage::test
