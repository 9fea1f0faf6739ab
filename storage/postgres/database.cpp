#include "storage/postgres/pg.hpp"
#include "storage/postgres/schema.hpp"
#include "storage/postgres_ledger.hpp"
#include "storage/sqlite/ledger_impl.hpp"

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

result<std::unique_ptr<sqlite_ledger>> open_postgres_ledger(postgres_options options) {
  auto version = migrate_postgres(options.uri);
  if (!version) return version.error();
  try {
    sqlite_options o;
    o.signing_key = std::move(options.signing_key);
    o.max_batch = options.max_batch;
    o.snapshot_reuse = std::chrono::milliseconds{0};  // other servers commit too: never reuse
    auto writer = sql::connection::open_postgres(options.uri);
    return std::unique_ptr<sqlite_ledger>{
        new sql::ledger_impl(std::move(o), std::move(writer),
                             [uri = options.uri] { return sql::connection::open_postgres(uri); })};
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

}  // namespace coldtrace::storage
