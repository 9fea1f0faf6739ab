// RAII over the SQLite C API: a connection with a per-connection cache of prepared
// statements, a statement in use (reset when it goes out of scope), a transaction guard and
// a savepoint guard. Internal to storage/.
//
// The same connection may instead be a PostgreSQL one (open_postgres): the operations are
// written once for both (storage/README.md). Its engine lives in postgres/engine.cpp.
//
// SQLite failures throw sql::failure, PostgreSQL's pg::failure. They mean a broken disk, a
// lost server or a bug, never a user's mistake; the ledger catches them at its boundary and
// answers errc::storage_failure.
#pragma once

#include "codec/bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace coldtrace::storage::sql {

// The PostgreSQL engine's side of a connection and of a statement (postgres/engine.hpp).
struct pg_session;
struct pg_cursor;
struct pg_deleter {
  void operator()(pg_session* s) const noexcept;
  void operator()(pg_cursor* c) const noexcept;
};
using pg_session_ptr = std::unique_ptr<pg_session, pg_deleter>;
using pg_cursor_ptr = std::unique_ptr<pg_cursor, pg_deleter>;

struct failure : std::runtime_error {
  failure(int rc, const std::string& what) : std::runtime_error(what), code(rc) {}
  int code;  // the SQLite result code
};

struct close_db {
  void operator()(sqlite3* db) const noexcept;
};
struct finalize_stmt {
  void operator()(sqlite3_stmt* s) const noexcept;
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, finalize_stmt>;

// A prepared statement being used: bind, step, read columns. Parameters are 1-based like
// SQLite's; columns are 0-based like SQLite's.
class statement {
 public:
  statement(sqlite3* db, sqlite3_stmt* cached, stmt_ptr owned);
  explicit statement(pg_cursor_ptr cursor);
  statement(statement&& other) noexcept;
  statement& operator=(statement&&) = delete;
  ~statement();

  statement& bind(int i, std::int64_t v);
  statement& bind(int i, int v) { return bind(i, std::int64_t{v}); }
  statement& bind(int i, std::string_view v);
  statement& bind(int i, const char* v) { return bind(i, std::string_view{v}); }
  statement& bind(int i, const std::string& v) { return bind(i, std::string_view{v}); }
  statement& bind(int i, bytes_view v);
  statement& bind(int i, const bytes& v) { return bind(i, bytes_view{v}); }
  statement& bind(int i, std::nullopt_t);
  template <class T>
  statement& bind(int i, const std::optional<T>& v) {
    if (v) return bind(i, *v);
    // PostgreSQL must know a NULL's type where nothing else says it (`?2 IS NULL OR ...`).
    if constexpr (std::is_integral_v<T>)
      return bind_null(i, null_type::integer);
    else if constexpr (std::is_convertible_v<T, std::string_view>)
      return bind_null(i, null_type::text);
    else if constexpr (std::is_convertible_v<T, bytes_view>)
      return bind_null(i, null_type::blob);
    else
      return bind(i, std::nullopt);
  }
  enum class null_type { integer, text, blob };
  statement& bind_null(int i, null_type t);
  // Binds the arguments to parameters 1, 2, ...
  template <class... A>
  statement& with(const A&... a) {
    int i = 0;
    (bind(++i, a), ...);
    return *this;
  }

  bool step();  // true while a row is available
  void run();   // steps a statement that returns no row

  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  int int32(int col) const { return static_cast<int>(int64(col)); }
  std::optional<std::int64_t> opt_int64(int col) const;
  std::string text(int col) const;
  // The column's bytes in place: valid until the next step or the end of the statement.
  bytes_view blob_view(int col) const;
  bytes blob(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  stmt_ptr owned_;    // set when the cached statement was busy and a fresh one was prepared
  pg_cursor_ptr pg_;  // set on a PostgreSQL connection, instead of the above
};

class connection {
 public:
  enum class access { read_write, read_only };
  static connection open(const std::filesystem::path& file, access a, int busy_timeout_ms);
  // A connection to the PostgreSQL database a libpq URI names.
  static connection open_postgres(const std::string& uri);

  connection(connection&&) noexcept = default;
  connection& operator=(connection&&) noexcept = default;
  ~connection();

  // A prepared statement for `sql`, prepared once per connection and reused.
  statement query(std::string_view sql);
  // Runs statements that return no rows (pragmas, DDL, transaction control).
  void exec(const std::string& sql);

  std::int64_t last_insert_id();
  int changes() const;
  // True inside BEGIN .. COMMIT.
  bool in_transaction() const;
  sqlite3* handle() const { return db_.get(); }  // nullptr on PostgreSQL
  bool is_postgres() const { return pg_ != nullptr; }

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  connection() = default;
  std::unique_ptr<sqlite3, close_db> db_;
  // Declared after db_ so that the statements are finalized before the connection closes.
  std::unordered_map<std::string, stmt_ptr, string_hash, std::equal_to<>> cache_;
  // The same statements by the address of the caller's SQL text (almost always a static
  // string), checked against the text on every hit: hashing a long query on every call costs
  // more than the rest of a primary-key lookup.
  struct by_address {
    std::string_view sql;
    sqlite3_stmt* stmt;
  };
  std::unordered_map<const char*, by_address> by_address_;
  pg_session_ptr pg_;  // set on a PostgreSQL connection
};

[[noreturn]] void throw_failure(sqlite3* db, int rc, std::string_view doing);

// BEGIN .. COMMIT; rolls back in its destructor unless commit() ran, and only once. A
// deferred (read) transaction begun while one is already open joins it: a reader
// connection's kept snapshot (readers.hpp) is already one consistent view.
class transaction {
 public:
  enum class mode { deferred, immediate };
  explicit transaction(connection& c, mode m = mode::deferred);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();
  void commit();
  void rollback() noexcept;

 private:
  connection& c_;
  bool open_ = true;
  bool joined_ = false;
};

// SAVEPOINT .. RELEASE inside a transaction; rolls back to the savepoint unless released.
class savepoint {
 public:
  explicit savepoint(connection& c);
  savepoint(const savepoint&) = delete;
  savepoint& operator=(const savepoint&) = delete;
  ~savepoint();
  void release();
  void rollback() noexcept;

 private:
  connection& c_;
  bool open_ = true;
};

}  // namespace coldtrace::storage::sql
