// The PostgreSQL engine behind sql::connection and sql::statement (sqlite/db.hpp): the
// operations' SQL, written with SQLite's `?` and `?N` parameters, runs here with `$n`.
#pragma once

#include "storage/postgres/pg.hpp"
#include "storage/sqlite/db.hpp"

#include <map>

namespace coldtrace::storage::sql {

struct pg_session {
  pg::connection conn;
  std::unordered_map<std::string, std::string> translated;  // SQLite's text -> PostgreSQL's
  std::int64_t changes = 0;                                 // rows the last statement run changed
  // Statements with parameters, by their text and parameter types: prepared on the second run
  // (a text built once, for one call, is never prepared), at most max_statements of them.
  struct statement_use {
    std::string name;  // set once prepared
    int runs = 0;
  };
  std::unordered_map<std::string, statement_use> statements;
  int prepared = 0;  // statements prepared so far: their names are ct_1, ct_2, ...
  static constexpr std::size_t max_statements = 1024;
};

struct pg_cursor {
  pg_session* session;
  const std::string* sql;  // translated, owned by the session
  std::vector<pg::param> params;
  std::optional<pg::result> rows;
  int row = -1;
  std::map<int, bytes> blobs;  // the current row's decoded bytea columns, for blob_view
};

// Taken by every write transaction (transaction::mode::immediate): "ctwriter" in ASCII.
inline constexpr std::int64_t writer_lock = 0x6374777269746572;

// `?` becomes the next `$n`, `?N` becomes `$N`; quoted text and identifiers stay as they are.
std::string translate_placeholders(std::string_view sql);

pg_session_ptr pg_open(const std::string& uri);
pg_cursor_ptr pg_query(pg_session& s, std::string_view sql);
void pg_bind(pg_cursor& c, int i, pg::param p);
bool pg_step(pg_cursor& c);
bool pg_in_transaction(const pg_session& s);

}  // namespace coldtrace::storage::sql
