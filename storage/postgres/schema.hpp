// The numbered migrations on PostgreSQL: the same numbers and names as SQLite's
// (storage/sqlite/schema.cpp), the same tables and columns, in PostgreSQL's dialect (bigint
// for every INTEGER, bytea for BLOB, identity columns for the rowid keys). The version is
// the highest row of schema_version. A test holds the two lists and the two schemas equal.
#pragma once

#include "storage/postgres/pg.hpp"

#include <span>

namespace coldtrace::storage::pg {

struct migration {
  int version;
  const char* name;
  const char* sql;
};

std::span<const migration> migrations();
int latest_version();

// 0 for a database no coldtrace has migrated.
int current_version(connection& c);
// Applies the pending migrations, each in its own transaction under an advisory lock, so
// that servers starting together migrate once. Returns the version reached; the caller
// refuses a database newer than this binary first.
int migrate(connection& c);

}  // namespace coldtrace::storage::pg
