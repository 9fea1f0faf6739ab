// RAII over libpq: a connection opened from a libpq URI, a query result, parameterised
// statements ($1, $2, ... bound from C++ values) and a transaction guard. Internal to storage/.
//
// Failures throw pg::failure carrying the SQLSTATE (40001 serialization_failure, 23505
// unique_violation, ...). They mean a lost server or a bug, never a user's mistake; the ledger
// catches them at its boundary. A URI holds the password: messages only ever show mask_uri().
#pragma once

#include "codec/bytes.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace coldtrace::storage::pg {

struct failure : std::runtime_error {
  failure(std::string sqlstate_value, const std::string& what)
      : std::runtime_error(what), sqlstate(std::move(sqlstate_value)) {}
  std::string sqlstate;  // five characters, or empty when the server was not reached
};

// SQLSTATEs the ledger acts on.
inline constexpr std::string_view serialization_failure = "40001";
inline constexpr std::string_view deadlock_detected = "40P01";
inline constexpr std::string_view unique_violation = "23505";

// True for the URIs that select PostgreSQL (postgresql:// or postgres://); anything else
// given as --db is a SQLite file.
bool is_uri(std::string_view db);
// The URI with its password replaced by "***", for logs and messages.
std::string mask_uri(std::string_view uri);

struct finish_conn {
  void operator()(pg_conn* c) const noexcept;
};
struct clear_result {
  void operator()(pg_result* r) const noexcept;
};

// The rows of a statement, in text form. Rows and columns are 0-based.
class result {
 public:
  explicit result(pg_result* r) : r_(r) {}

  int rows() const;
  int columns() const;
  bool is_null(int row, int col) const;
  std::string_view text(int row, int col) const;
  std::int64_t int64(int row, int col) const;
  std::optional<std::int64_t> opt_int64(int row, int col) const;
  bool boolean(int row, int col) const;
  // A bytea column (the server's hex output).
  bytes blob(int row, int col) const;
  // Rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;
  // The command tag ("COMMIT", "ROLLBACK", "INSERT 0 1", ...).
  std::string_view status() const;
  pg_result* handle() const { return r_.get(); }

 private:
  std::unique_ptr<pg_result, clear_result> r_;
};

// One bound parameter: integers and text travel as text, bytes in binary (bytea). Each
// carries its type (bigint, text, bytea), so that the server never has to guess one.
struct param {
  param(std::int64_t v) : value(std::to_string(v)), type(int8_oid) {}
  param(int v) : param(std::int64_t{v}) {}
  param(std::string_view v) : value(v), type(text_oid) {}
  param(const char* v) : param(std::string_view{v}) {}
  param(const std::string& v) : param(std::string_view{v}) {}
  param(bytes_view v) : value(std::string(v.begin(), v.end())), binary(true), type(bytea_oid) {}
  param(const bytes& v) : param(bytes_view{v}) {}
  param(std::nullopt_t) {}
  template <class T>
  param(const std::optional<T>& v) : param(v ? param(*v) : param(std::nullopt)) {}

  static constexpr unsigned int8_oid = 20, text_oid = 25, bytea_oid = 17;
  std::optional<std::string> value;  // nullopt: NULL
  bool binary = false;
  unsigned type = 0;  // 0: the server infers it (a NULL)
};

class connection {
 public:
  // Connects with the URI alone; the error names the masked URI and the server's reason.
  static connection open(const std::string& uri);

  connection(connection&&) noexcept = default;
  connection& operator=(connection&&) noexcept = default;
  ~connection();

  // One statement with parameters $1, $2, ... bound in order.
  result exec(std::string_view sql, const std::vector<param>& params = {});
  // The same through the named prepared statement `name`, prepared first (PQprepare, with the
  // parameters' types) when `prepare`: the server parses and plans it once per connection.
  result exec_prepared(const std::string& name, std::string_view sql,
                       const std::vector<param>& params, bool prepare);
  template <class... A>
  result query(std::string_view sql, const A&... a) {
    return exec(sql, std::vector<param>{param(a)...});
  }
  // Several statements without parameters (DDL, a migration) in one round trip.
  void exec_script(const std::string& sql);

  pg_conn* handle() const { return c_.get(); }

 private:
  connection() = default;
  std::unique_ptr<pg_conn, finish_conn> c_;
};

// BEGIN .. COMMIT; rolls back in its destructor unless commit() ran, and only once.
class transaction {
 public:
  enum class isolation { read_committed, repeatable_read, serializable };
  explicit transaction(connection& c, isolation i = isolation::read_committed);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();
  void commit();
  void rollback() noexcept;

 private:
  connection& c_;
  bool open_ = true;
};

}  // namespace coldtrace::storage::pg
