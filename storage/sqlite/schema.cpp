#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/schema_v1.hpp"

#include <sqlite3.h>

#include <array>
#include <string>

namespace coldtrace::storage::sql {
namespace {

// Never edit a migration that has shipped: add the next one. Migration 1 is in schema_v1.cpp.

// What a phone is shown about a lot's tests, kept on the lot by the operations that change
// it, so that a verification reads one row instead of aggregating samples and results.
constexpr const char* v2_lot_test_summary = R"sql(
ALTER TABLE lots ADD COLUMN samples INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lots ADD COLUMN negative INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lots ADD COLUMN positive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lots ADD COLUMN last_disinfection_at INTEGER;
ALTER TABLE lots ADD COLUMN last_disinfection_agent TEXT NOT NULL DEFAULT '';
UPDATE lots SET
  samples = (SELECT count(*) FROM samples s WHERE s.lot_id = lots.id),
  negative = (SELECT count(*) FROM samples s JOIN results r ON r.sample_id = s.id
              WHERE s.lot_id = lots.id AND r.outcome = 'negative'),
  positive = (SELECT count(*) FROM samples s JOIN results r ON r.sample_id = s.id
              WHERE s.lot_id = lots.id AND r.outcome = 'positive'),
  last_disinfection_at = (SELECT max(performed_at) FROM disinfections d WHERE d.lot_id = lots.id),
  last_disinfection_agent = coalesce((SELECT agent FROM disinfections d WHERE d.lot_id = lots.id
                                      ORDER BY performed_at DESC, id DESC LIMIT 1), '');
)sql";

// Idempotency keys (Idempotency-Key on intake, dispatch, receive and sale checks): the
// account's key, what it was first sent with (the operation and a fingerprint of the route
// and body) and enough of the result to answer a retry with it. Written in the same
// savepoint as the write it guards; kept 24 hours (idempotency.hpp). This is bookkeeping,
// not ledger state: no audit event records it, and a replay of the audit chain into the
// state tables neither builds nor checks this table.
constexpr const char* v3_idempotency_keys = R"sql(
CREATE TABLE idempotency_keys (
  account_id  INTEGER NOT NULL,
  key         TEXT NOT NULL,
  operation   TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  result      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_time ON idempotency_keys(created_at);
)sql";

// Signed checkpoints of the chain head (storage/checkpoints.hpp): what the platform has
// stated, under its signing key, its history was at a time. Not ledger state either.
constexpr const char* v4_checkpoints = R"sql(
CREATE TABLE checkpoints (
  seq       INTEGER PRIMARY KEY,
  hash      BLOB NOT NULL,
  at        INTEGER NOT NULL,
  kid       TEXT NOT NULL,
  signature TEXT NOT NULL
);
)sql";

// A table's text in sqlite_schema edited in place, for a change that leaves every row's bytes
// as they are (a CHECK or a NOT NULL lifted), as SQLite's documentation describes (ALTER TABLE
// §7), instead of copying the table. `before` becomes `after`; once done, `leftover` must be
// gone from the table's text, or the table is not the one migration 1 made.
void edit_table_in_place(connection& c, const char* table, const char* before, const char* after,
                         const char* leftover, const char* not_ours) {
  auto v = c.query("PRAGMA schema_version");
  v.step();
  const auto schema_version = v.int64(0);
  c.exec("PRAGMA writable_schema = ON");
  c.query(
       "UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) WHERE type = 'table' AND name = ?3"
       " AND instr(sql, ?1) > 0")
      .bind(1, before)
      .bind(2, after)
      .bind(3, table)
      .run();
  if (c.changes() == 1) c.exec("PRAGMA schema_version = " + std::to_string(schema_version + 1));
  c.exec("PRAGMA writable_schema = OFF");
  auto left = c.query("SELECT instr(sql, ?1) FROM sqlite_schema WHERE name = ?2");
  left.bind(1, leftover).bind(2, table);
  if (!left.step() || left.int64(0) != 0) throw failure(SQLITE_CORRUPT, not_ours);
}

// Codes may have more than 255 children (payload version 2, docs/code-format.md §1): the CHECK
// on codes.children loses its upper bound, in place (edit_table_in_place): no code is copied.
void v5_unbounded_children(connection& c) {
  edit_table_in_place(c, "codes", "CHECK (children BETWEEN 0 AND 255)", "CHECK (children >= 0)",
                      "AND 255", "migration 5: the codes table is not the one migration 1 made");
}

// The counter (issue 10) reads a unit's sale checks of a day, and per code what was sold and
// dispatched under it. IF NOT EXISTS: a file rolled back to an older version keeps its indexes.
constexpr const char* v6_counter_indexes = R"sql(
CREATE INDEX IF NOT EXISTS sale_checks_by_unit ON sale_checks(unit_id, checked_at);
CREATE INDEX IF NOT EXISTS sales_by_code ON sales(code_id);
CREATE INDEX IF NOT EXISTS transfers_by_from ON transfers(from_code_id);
)sql";

// People sign in with a name and a password (storage/password.hpp) and get a session token
// that lasts storage::session_lifetime. Credentials, not ledger state: no event carries a
// hash, and the replay neither builds nor compares these tables. `login` is the account's
// name at the time its password was set; the names that sign in are unique.
constexpr const char* v7_passwords_sessions = R"sql(
CREATE TABLE passwords (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
  login      TEXT NOT NULL UNIQUE,
  hash       TEXT NOT NULL,
  set_at     INTEGER NOT NULL
);
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts(id),
  token_sha256 BLOB NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX sessions_by_account ON sessions(account_id, revoked_at);
)sql";

// Recalls that reach the goods (issue 10). A recall is of a lot or of one consignment and
// everything below it (its code's split path, the prefix the offline block list carries), so
// a lot may have several: recalls is rebuilt without UNIQUE (lot_id) (it is small: one row per
// recall). A positive result opens a proposal the bureau confirms or dismisses; each holder
// of a recall has a row saying what it held, when it saw the recall and what it did.
constexpr const char* v8_recall_follow_up = R"sql(
CREATE TABLE recalls_v8 (
  id          INTEGER PRIMARY KEY,
  lot_id      INTEGER NOT NULL REFERENCES lots(id),
  reason      TEXT NOT NULL,
  account_id  INTEGER NOT NULL,
  recalled_at INTEGER NOT NULL,
  code_id     INTEGER REFERENCES codes(id),
  split_path  BLOB NOT NULL DEFAULT x'',
  UNIQUE (lot_id, split_path)
);
INSERT INTO recalls_v8 (id, lot_id, reason, account_id, recalled_at)
  SELECT id, lot_id, reason, account_id, recalled_at FROM recalls;
DROP TABLE recalls;
ALTER TABLE recalls_v8 RENAME TO recalls;

CREATE TABLE recall_proposals (
  id          INTEGER PRIMARY KEY,
  lot_id      INTEGER NOT NULL REFERENCES lots(id),
  sample_id   INTEGER NOT NULL REFERENCES samples(id),
  proposed_at INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed')),
  recall_id   INTEGER REFERENCES recalls(id),
  decided_by  INTEGER,
  decided_at  INTEGER,
  note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recall_proposals_by_lot ON recall_proposals(lot_id, status);

CREATE TABLE recall_holders (
  recall_id    INTEGER NOT NULL REFERENCES recalls(id),
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  held_g       INTEGER NOT NULL CHECK (held_g >= 0),
  in_transit_g INTEGER NOT NULL CHECK (in_transit_g >= 0),
  sold_g       INTEGER NOT NULL CHECK (sold_g >= 0),
  notified_at  INTEGER NOT NULL,
  seen_at      INTEGER,
  acted_at     INTEGER,
  sealed_g     INTEGER NOT NULL DEFAULT 0 CHECK (sealed_g >= 0),
  returned_g   INTEGER NOT NULL DEFAULT 0 CHECK (returned_g >= 0),
  destroyed_g  INTEGER NOT NULL DEFAULT 0 CHECK (destroyed_g >= 0),
  note         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (recall_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX recall_holders_by_unit ON recall_holders(unit_id, recall_id);
)sql";

// Scans told apart by who scanned (scan_kind: consumer, inspector, counter; the platform's own
// page views are no longer counted), and the codes scanned, for the count of distinct codes.
// The counts kept before are moved over as 'unclassified'. Bookkeeping, not ledger state.
constexpr const char* v9_scan_kinds = R"sql(
CREATE TABLE scan_counts (
  day     INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('consumer', 'inspector', 'counter', 'unclassified')),
  verdict TEXT NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (day, kind, verdict)
) WITHOUT ROWID;
INSERT INTO scan_counts (day, kind, verdict, n)
  SELECT day, 'unclassified', verdict, n FROM verification_counts;
DROP TABLE verification_counts;
CREATE TABLE code_scans (
  day     INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('consumer', 'inspector', 'counter')),
  code_id INTEGER NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (day, kind, code_id)
) WITHOUT ROWID;
)sql";

// The signing keys the database's servers publish (docs/deploy.md): a server on a shared
// database refuses to start with a signing key that is not here.
constexpr const char* v10_published_keys = R"sql(
CREATE TABLE published_keys (
  kid          TEXT PRIMARY KEY,
  x            BLOB NOT NULL,
  published_at INTEGER NOT NULL
);
)sql";

// Inspections at unregistered vendors and the uncoded items found, item by item (issue 10): an
// inspection names a registered unit or a vendor (unit_id NULL: the NOT NULL is lifted in
// place, as migration 5 lifted a CHECK); each finding has its action and a rectification
// deadline, and stays open until a follow-up closes it; a finding's photo is kept here, its
// id the finding's.
constexpr const char* v11_inspection_findings = R"sql(
ALTER TABLE inspections ADD COLUMN vendor_name TEXT;
ALTER TABLE inspections ADD COLUMN vendor_address TEXT;
ALTER TABLE inspections ADD COLUMN vendor_credit_code TEXT;
ALTER TABLE inspections ADD COLUMN vendor_region TEXT;
CREATE TABLE inspection_findings (
  id            INTEGER PRIMARY KEY,
  inspection_id INTEGER NOT NULL REFERENCES inspections(id),
  product       TEXT NOT NULL,
  category      TEXT NOT NULL,
  weight_g      INTEGER NOT NULL CHECK (weight_g > 0),
  action        TEXT NOT NULL CHECK (action IN ('seal', 'seize', 'stop_selling')),
  deadline      INTEGER,
  closed_at     INTEGER,
  closed_by     INTEGER,
  follow_up     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_findings_by_inspection ON inspection_findings(inspection_id, id);
CREATE INDEX inspection_findings_open ON inspection_findings(closed_at, deadline);
CREATE TABLE inspection_photos (
  id         INTEGER PRIMARY KEY REFERENCES inspection_findings(id),
  media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
  size       INTEGER NOT NULL,
  sha256     BLOB NOT NULL,
  data       BLOB NOT NULL,
  added_by   INTEGER NOT NULL,
  added_at   INTEGER NOT NULL
);
)sql";

void v11_vendor_inspections(connection& c) {
  edit_table_in_place(c, "inspections", "unit_id       INTEGER NOT NULL REFERENCES units(id)",
                      "unit_id       INTEGER REFERENCES units(id)",
                      "INTEGER NOT NULL REFERENCES units",
                      "migration 11: the inspections table is not the one migration 1 made");
}

// What inspectors and recalls need at intake (issue 11): the manufacturer, the overseas
// plant's registration, the production date and batch, the highest storage temperature and the
// animal quarantine certificate; and indexes for a search by customs number or certificate
// (a customs notice names them).
constexpr const char* v12_lot_details = R"sql(
ALTER TABLE lots ADD COLUMN manufacturer TEXT NOT NULL DEFAULT '';
ALTER TABLE lots ADD COLUMN plant_registration TEXT NOT NULL DEFAULT '';
ALTER TABLE lots ADD COLUMN production_date TEXT NOT NULL DEFAULT '';
ALTER TABLE lots ADD COLUMN batch_number TEXT NOT NULL DEFAULT '';
ALTER TABLE lots ADD COLUMN storage_temp_c INTEGER;
ALTER TABLE lots ADD COLUMN animal_quarantine_certificate TEXT NOT NULL DEFAULT '';
CREATE INDEX lots_by_customs ON lots(customs_number) WHERE customs_number <> '';
CREATE INDEX lots_by_certificate ON lots(quarantine_certificate) WHERE quarantine_certificate <> '';
CREATE INDEX lots_by_animal_certificate ON lots(animal_quarantine_certificate)
  WHERE animal_quarantine_certificate <> '';
)sql";

// Not constexpr: migration 1 is defined in another file.
const std::array<migration, 12> all{{
    {1, "the ledger", v1_ledger},
    {2, "lot test summary", v2_lot_test_summary},
    {3, "idempotency keys", v3_idempotency_keys},
    {4, "checkpoints", v4_checkpoints},
    {5, "more than 255 children per code", "", v5_unbounded_children},
    {6, "counter indexes", v6_counter_indexes},
    {7, "passwords and sessions", v7_passwords_sessions},
    {8, "recall proposals and holders", v8_recall_follow_up},
    {9, "scans by kind and code", v9_scan_kinds},
    {10, "published keys", v10_published_keys},
    {11, "inspection findings and vendors", v11_inspection_findings, v11_vendor_inspections},
    {12, "lot details at intake", v12_lot_details},
}};

}  // namespace

std::span<const migration> migrations() {
  return all;
}
int latest_version() {
  return all.back().version;
}

int current_version(connection& c) {
  auto q = c.query("PRAGMA user_version");
  q.step();
  return q.int32(0);
}

int migrate(connection& c) {
  for (const auto& m : all) {
    // Read the version inside the write transaction: another process may have migrated.
    transaction t{c, transaction::mode::immediate};
    if (current_version(c) >= m.version) continue;
    c.exec(m.sql);
    if (m.step) m.step(c);
    c.exec("PRAGMA user_version = " + std::to_string(m.version));
    t.commit();
  }
  return current_version(c);
}

}  // namespace coldtrace::storage::sql
