// Migrations: applied in order on open, recorded, and refused when the file is newer.
#include "storage/sqlite/schema.hpp"
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

// Migration 8 undone, for a test that takes a database back to an older version.
constexpr const char* undo_v8 =
    "DROP TABLE recall_holders; DROP TABLE recall_proposals; DROP TABLE recalls;"
    " CREATE TABLE recalls (id INTEGER PRIMARY KEY, lot_id INTEGER NOT NULL UNIQUE"
    " REFERENCES lots(id), reason TEXT NOT NULL, account_id INTEGER NOT NULL,"
    " recalled_at INTEGER NOT NULL);";

// Migration 9 (scans by kind) undone.
constexpr const char* undo_v9 =
    "DROP TABLE code_scans; DELETE FROM scan_counts;"
    " ALTER TABLE scan_counts RENAME TO verification_counts;";

// Migration 10 (published keys) undone.
constexpr const char* undo_v10 = "DROP TABLE published_keys;";
// Migration 11 (inspection findings and vendors) undone; inspections.unit_id stays without its
// NOT NULL, which migration 11 then finds lifted already.
constexpr const char* undo_v11 =
    "DROP TABLE inspection_photos; DROP TABLE inspection_findings;"
    " ALTER TABLE inspections DROP COLUMN vendor_name;"
    " ALTER TABLE inspections DROP COLUMN vendor_address;"
    " ALTER TABLE inspections DROP COLUMN vendor_credit_code;"
    " ALTER TABLE inspections DROP COLUMN vendor_region;";

// Migration 12 (lot details) undone.
constexpr const char* undo_v12 =
    "DROP INDEX lots_by_customs; DROP INDEX lots_by_certificate;"
    " DROP INDEX lots_by_animal_certificate; ALTER TABLE lots DROP COLUMN manufacturer;"
    " ALTER TABLE lots DROP COLUMN plant_registration; ALTER TABLE lots DROP COLUMN"
    " production_date; ALTER TABLE lots DROP COLUMN batch_number; ALTER TABLE lots DROP COLUMN"
    " storage_temp_c; ALTER TABLE lots DROP COLUMN animal_quarantine_certificate;";

}  // namespace

TEST_CASE("a new database gets every migration and records its version", "[storage][sqlite]") {
  fixture f;
  CHECK(f.scalar("PRAGMA user_version") == sql::latest_version());
  CHECK(f.text("PRAGMA journal_mode") == "wal");
  CHECK(must(migrate_database(f.file)) == sql::latest_version());
}

TEST_CASE("migration 2 fills the lot test summary from the existing rows", "[storage][sqlite]") {
  fixture f;
  auto in = f.intake();
  f.clear_for_release(in.lot.id);
  auto s = must(
      f.ledger->add_sample(f.as(f.warehouse), {in.lot.id, sample_type::environment, f.now(), "x"}));
  must(f.ledger->record_result(f.as(f.warehouse),
                               {s.id, test_outcome::positive, "lab", "R", f.now()}));
  f.ledger->close();
  f.ledger.reset();
  // Back to version 1, as a database written before migrations 2 to 12 existed.
  f.exec(
      std::string{undo_v12} + undo_v11 + undo_v10 + undo_v9 + undo_v8 +
      "DROP TABLE sessions; DROP TABLE passwords;"
      " DROP TABLE checkpoints; DROP TABLE idempotency_keys; ALTER TABLE lots DROP COLUMN samples; "
      "ALTER TABLE lots DROP "
      "COLUMN negative;"
      " ALTER TABLE lots DROP COLUMN positive; ALTER TABLE lots DROP COLUMN last_disinfection_at;"
      " ALTER TABLE lots DROP COLUMN last_disinfection_agent; PRAGMA user_version = 1;");
  f.reopen();
  CHECK(f.scalar("PRAGMA user_version") == sql::latest_version());
  auto v = must(f.ledger->verify(in.code.signed_code));
  CHECK(v.verdict == verdict::quarantined);
  REQUIRE(v.facts);
  CHECK(v.facts->samples == 2);
  CHECK(v.facts->negative == 1);
  CHECK(v.facts->positive == 1);
  CHECK(v.facts->last_disinfection_agent == "过氧乙酸 0.2%");
}

TEST_CASE("migration 5 lifts the 255-children bound of a version 4 database in place",
          "[storage][sqlite]") {
  fixture f;
  auto in = f.intake();
  f.ledger->close();
  f.ledger.reset();
  // As migration 1 wrote the table, at version 4.
  f.exec(std::string{undo_v12} + undo_v11 + undo_v10 + undo_v9 + undo_v8 +
         "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql,"
         " 'CHECK (children >= 0)', 'CHECK (children BETWEEN 0 AND 255)') WHERE name = 'codes';"
         " PRAGMA writable_schema = OFF; DROP TABLE sessions; DROP TABLE passwords;"
         " PRAGMA user_version = 4;");
  const std::string children_256 =
      "UPDATE codes SET children = 256 WHERE id = " + std::to_string(in.code.id);
  auto sets_children = [&](const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(f.file.c_str(), &db);
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
  };
  CHECK(sets_children(children_256) == SQLITE_CONSTRAINT);
  f.reopen();
  CHECK(f.scalar("PRAGMA user_version") == sql::latest_version());
  CHECK(f.text("PRAGMA integrity_check") == "ok");
  CHECK(f.text("SELECT sql FROM sqlite_schema WHERE name = 'codes'").find("255") ==
        std::string::npos);
  f.ledger->close();
  f.ledger.reset();
  CHECK(sets_children(children_256) == SQLITE_OK);
  CHECK(sets_children("UPDATE codes SET children = -1") == SQLITE_CONSTRAINT);
}

TEST_CASE("migration 9 keeps the scans counted before as unclassified", "[storage][sqlite]") {
  fixture f;
  f.ledger->close();
  f.ledger.reset();
  // A version 8 database with two days of counts, before kinds were told apart.
  f.exec(std::string{undo_v12} + undo_v11 + undo_v10 + undo_v9);
  f.exec(
      "DROP TABLE verification_counts; CREATE TABLE verification_counts (day INTEGER NOT NULL,"
      " verdict TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, verdict)) WITHOUT ROWID;"
      " INSERT INTO verification_counts VALUES (20000, 'valid', 7), (20000, 'forged', 2),"
      " (20001, 'valid', 3); PRAGMA user_version = 8;");
  f.reopen();
  CHECK(f.scalar("PRAGMA user_version") == sql::latest_version());
  CHECK(f.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'verification_counts'") == 0);
  CHECK(f.scalar("SELECT sum(n) FROM scan_counts WHERE kind = 'unclassified'") == 12);
  const time_point day = time_point{} + std::chrono::days{20000};
  const auto s = must(f.ledger->stats(f.admin, {day, day + std::chrono::days{1}}));
  CHECK(s.verifications == 9);
  CHECK(s.codes_scanned == 0);
  for (const auto& k : s.scans_by_kind) CHECK(k.scans == 0);
}

TEST_CASE("a database from a newer coldtrace is not opened", "[storage][sqlite]") {
  fixture f;
  f.ledger->close();
  f.ledger.reset();
  f.exec("PRAGMA user_version = 99");
  sqlite_options o;
  o.file = f.file;
  CHECK_ERRC(sqlite_ledger::open(o), errc::schema_too_new);
  CHECK_ERRC(migrate_database(f.file), errc::schema_too_new);
}
