// The PostgreSQL backend (issue 13), selected by a libpq URI as --db: several servers writing
// to one database. In progress (storage/README.md): the schema, db init, and the ledger
// itself, the same implementation as SQLite's over PostgreSQL connections.
#pragma once

#include "storage/sqlite_ledger.hpp"

#include <string>
#include <string_view>

namespace coldtrace::storage {

// True when `db` is a PostgreSQL URI (postgresql://... or postgres://...); anything else
// is a SQLite file.
bool is_postgres(std::string_view db);
// `db` as it may be printed or logged: a URI's password replaced by "***".
std::string printable_db(std::string_view db);

// Creates or migrates the schema in the database the URI names (db init). The role needs
// to own that database (or the public schema in it), not to be a superuser.
result<int> migrate_postgres(const std::string& uri);

struct postgres_options {
  std::string uri;
  std::shared_ptr<const codec::signing_key> signing_key;
  // Operations committed together at most (one transaction, one writer lock, per batch).
  std::size_t max_batch = 512;
};

// The ledger on PostgreSQL: migrates first, then one writer connection (its batches take the
// database's writer lock, so any number of servers write one history) and a pool of readers,
// each read one REPEATABLE READ snapshot. Its interface is sqlite_ledger's for now: one
// implementation serves both databases.
result<std::unique_ptr<sqlite_ledger>> open_postgres_ledger(postgres_options options);

}  // namespace coldtrace::storage
