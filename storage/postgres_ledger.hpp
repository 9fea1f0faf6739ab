// The PostgreSQL backend (issue 13), selected by a libpq URI as --db: several servers writing
// to one database. In progress: so far the schema and its migrations (db init); the ledger's
// operations are still SQLite's only (storage/README.md says how they come over).
#pragma once

#include "storage/error.hpp"

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

}  // namespace coldtrace::storage
