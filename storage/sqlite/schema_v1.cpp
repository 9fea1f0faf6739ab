// Migration 1, the ledger as it first shipped (schema.cpp lists every migration). Never edit
// it: add the next migration.
#include "storage/sqlite/schema_v1.hpp"

namespace coldtrace::storage::sql {

extern const char* const v1_ledger = R"sql(
CREATE TABLE units (
  id            INTEGER PRIMARY KEY,
  credit_code   TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL
                CHECK (kind IN ('warehouse', 'producer', 'caterer', 'seller', 'regulator')),
  region        TEXT NOT NULL,
  registered_at INTEGER NOT NULL
);

CREATE TABLE accounts (
  id           INTEGER PRIMARY KEY,
  unit_id      INTEGER NOT NULL REFERENCES units(id),
  role         TEXT NOT NULL CHECK (role IN ('admin', 'warehouse', 'operator', 'inspector')),
  name         TEXT NOT NULL,
  token_sha256 BLOB UNIQUE,  -- NULL once revoked
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX accounts_by_unit ON accounts(unit_id);

CREATE TABLE lots (
  id                     INTEGER PRIMARY KEY,
  warehouse_id           INTEGER NOT NULL REFERENCES units(id),
  product                TEXT NOT NULL,
  category               TEXT NOT NULL,
  origin                 TEXT NOT NULL,
  net_weight_g           INTEGER NOT NULL CHECK (net_weight_g > 0),
  packages               INTEGER NOT NULL CHECK (packages > 0),
  consignor              TEXT NOT NULL,
  customs_number         TEXT NOT NULL,
  quarantine_certificate TEXT NOT NULL,
  vehicle                TEXT NOT NULL,
  intake_at              INTEGER NOT NULL,
  status                 TEXT NOT NULL CHECK (status IN ('held', 'released', 'quarantined')),
  released_at            INTEGER,
  root_code_id           INTEGER
);
CREATE INDEX lots_by_warehouse ON lots(warehouse_id, id);
CREATE INDEX lots_by_intake ON lots(intake_at);

CREATE TABLE samples (
  id           INTEGER PRIMARY KEY,
  lot_id       INTEGER NOT NULL REFERENCES lots(id),
  type         TEXT NOT NULL CHECK (type IN ('outer_packaging', 'food_surface', 'environment')),
  collected_at INTEGER NOT NULL,
  collector    TEXT NOT NULL
);
CREATE INDEX samples_by_lot ON samples(lot_id);
CREATE INDEX samples_by_time ON samples(collected_at);

CREATE TABLE results (
  sample_id     INTEGER PRIMARY KEY REFERENCES samples(id),
  outcome       TEXT NOT NULL CHECK (outcome IN ('negative', 'positive')),
  lab           TEXT NOT NULL,
  report_number TEXT NOT NULL,
  reported_at   INTEGER NOT NULL
);
CREATE INDEX results_by_time ON results(reported_at);

CREATE TABLE disinfections (
  id            INTEGER PRIMARY KEY,
  lot_id        INTEGER NOT NULL REFERENCES lots(id),
  agent         TEXT NOT NULL,
  performed_at  INTEGER NOT NULL,
  operator_name TEXT NOT NULL,
  certificate   TEXT NOT NULL
);
CREATE INDEX disinfections_by_lot ON disinfections(lot_id, performed_at);

-- A code's split path is unique within its lot, and its byte order is the tree's depth-first
-- order: the descendants of a code are one range of the (lot_id, split_path) index.
CREATE TABLE codes (
  id          INTEGER PRIMARY KEY,
  lot_id      INTEGER NOT NULL REFERENCES lots(id),
  parent_id   INTEGER REFERENCES codes(id),
  split_path  BLOB NOT NULL,
  holder_id   INTEGER NOT NULL REFERENCES units(id),
  quantity_g  INTEGER NOT NULL CHECK (quantity_g > 0),
  remaining_g INTEGER NOT NULL CHECK (remaining_g BETWEEN 0 AND quantity_g),
  children    INTEGER NOT NULL DEFAULT 0 CHECK (children BETWEEN 0 AND 255),
  status      TEXT NOT NULL CHECK (status IN ('pending', 'active')),
  issued_at   INTEGER NOT NULL,
  received_at INTEGER,
  signed      BLOB NOT NULL,
  UNIQUE (lot_id, split_path)
);
CREATE INDEX codes_by_holder ON codes(holder_id, status, id);
CREATE INDEX codes_by_issue ON codes(issued_at);

CREATE TABLE transfers (
  id            INTEGER PRIMARY KEY,
  code_id       INTEGER NOT NULL UNIQUE REFERENCES codes(id),
  from_code_id  INTEGER NOT NULL REFERENCES codes(id),
  from_unit     INTEGER NOT NULL REFERENCES units(id),
  to_unit       INTEGER NOT NULL REFERENCES units(id),
  quantity_g    INTEGER NOT NULL CHECK (quantity_g > 0),
  dispatched_at INTEGER NOT NULL,
  received_at   INTEGER
);

CREATE TABLE sales (
  id         INTEGER PRIMARY KEY,
  code_id    INTEGER NOT NULL REFERENCES codes(id),
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  account_id INTEGER NOT NULL,
  quantity_g INTEGER NOT NULL CHECK (quantity_g > 0),
  sold_at    INTEGER NOT NULL
);
CREATE INDEX sales_by_unit ON sales(unit_id, id);
CREATE INDEX sales_by_time ON sales(sold_at);

CREATE TABLE sale_checks (
  id         INTEGER PRIMARY KEY,
  code_id    INTEGER REFERENCES codes(id),
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  account_id INTEGER NOT NULL,
  verdict    TEXT NOT NULL,
  quantity_g INTEGER,
  sale_id    INTEGER REFERENCES sales(id),
  checked_at INTEGER NOT NULL
);
CREATE INDEX sale_checks_by_time ON sale_checks(checked_at);

CREATE TABLE recalls (
  id          INTEGER PRIMARY KEY,
  lot_id      INTEGER NOT NULL UNIQUE REFERENCES lots(id),
  reason      TEXT NOT NULL,
  account_id  INTEGER NOT NULL,
  recalled_at INTEGER NOT NULL
);

CREATE TABLE inspections (
  id            INTEGER PRIMARY KEY,
  inspector_id  INTEGER NOT NULL,
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  inspected_at  INTEGER NOT NULL,
  uncoded_items INTEGER NOT NULL CHECK (uncoded_items >= 0),
  note          TEXT NOT NULL
);
CREATE INDEX inspections_by_unit ON inspections(unit_id, id);
CREATE INDEX inspections_by_time ON inspections(inspected_at);

CREATE TABLE inspection_codes (
  inspection_id INTEGER NOT NULL REFERENCES inspections(id),
  ordinal       INTEGER NOT NULL,
  code_id       INTEGER REFERENCES codes(id),
  verdict       TEXT NOT NULL,
  PRIMARY KEY (inspection_id, ordinal)
) WITHOUT ROWID;

-- Online verifications are reads; they are counted in memory and added here in batches.
CREATE TABLE verification_counts (
  day     INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (day, verdict)
) WITHOUT ROWID;

-- The audit chain: hash = SHA-256(prev_hash || canonical event), see audit.cpp.
CREATE TABLE events (
  seq           INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  actor_account INTEGER NOT NULL,
  actor_unit    INTEGER NOT NULL,
  actor_role    TEXT NOT NULL,
  type          TEXT NOT NULL,
  subject       TEXT NOT NULL,
  data          TEXT NOT NULL,
  prev_hash     BLOB NOT NULL,
  hash          BLOB NOT NULL
);

-- The chain's last link, so that removing events from the end is noticed too.
CREATE TABLE chain_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash BLOB NOT NULL
);
)sql";

}  // namespace coldtrace::storage::sql
