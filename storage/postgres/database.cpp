#include "storage/postgres/pg.hpp"
#include "storage/postgres/schema.hpp"
#include "storage/postgres_ledger.hpp"

namespace coldtrace::storage {

bool is_postgres(std::string_view db) {
  return pg::is_uri(db);
}

std::string printable_db(std::string_view db) {
  return is_postgres(db) ? pg::mask_uri(db) : std::string{db};
}

result<int> migrate_postgres(const std::string& uri) {
  try {
    auto c = pg::connection::open(uri);
    if (const int v = pg::current_version(c); v > pg::latest_version())
      return fail(errc::schema_too_new, pg::mask_uri(uri) + " has schema version " +
                                            std::to_string(v) + "; this coldtrace knows up to " +
                                            std::to_string(pg::latest_version()));
    return pg::migrate(c);
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

}  // namespace coldtrace::storage
