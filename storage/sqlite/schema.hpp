// Numbered migrations, embedded in the binary and applied in order on open. The schema
// version is PRAGMA user_version.
#pragma once

#include "storage/sqlite/db.hpp"

#include <span>

namespace coldtrace::storage::sql {

struct migration {
  int version;
  const char* name;
  const char* sql;
  void (*step)(connection&) = nullptr;  // for what SQL text alone cannot say; after `sql`
};

std::span<const migration> migrations();
int latest_version();

// Applies the pending migrations, each in its own transaction. Returns the version reached;
// throws failure when the database is newer than this binary (checked by the caller first).
int current_version(connection& c);
int migrate(connection& c);

}  // namespace coldtrace::storage::sql
