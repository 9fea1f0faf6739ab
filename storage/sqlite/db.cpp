#include "storage/sqlite/db.hpp"

#include "storage/postgres/engine.hpp"

#include <sqlite3.h>

#include <mutex>

namespace coldtrace::storage::sql {

void close_db::operator()(sqlite3* db) const noexcept {
  sqlite3_close_v2(db);
}
void finalize_stmt::operator()(sqlite3_stmt* s) const noexcept {
  sqlite3_finalize(s);
}

void throw_failure(sqlite3* db, int rc, std::string_view doing) {
  std::string what{doing};
  what += ": ";
  what += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw failure(rc, what);
}

// ---- statement -----------------------------------------------------------------------

statement::statement(sqlite3* db, sqlite3_stmt* cached, stmt_ptr owned)
    : db_(db), stmt_(cached), owned_(std::move(owned)) {}

statement::statement(pg_cursor_ptr cursor) : pg_(std::move(cursor)) {}

statement::statement(statement&& other) noexcept
    : db_(other.db_),
      stmt_(other.stmt_),
      owned_(std::move(other.owned_)),
      pg_(std::move(other.pg_)) {
  other.stmt_ = nullptr;
}

statement::~statement() {
  if (stmt_ && !owned_) {
    // Leave the cached statement ready for its next use, holding no read snapshot.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

statement& statement::bind(int i, std::int64_t v) {
  if (pg_) return pg_bind(*pg_, i, v), *this;
  if (int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK) throw_failure(db_, rc, "bind");
  return *this;
}

statement& statement::bind(int i, std::string_view v) {
  if (pg_) return pg_bind(*pg_, i, v), *this;
  int rc = sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_failure(db_, rc, "bind");
  return *this;
}

statement& statement::bind(int i, bytes_view v) {
  if (pg_) return pg_bind(*pg_, i, v), *this;
  // A zero-length blob must still be a blob, not NULL: SQLite needs a non-null pointer.
  static const std::uint8_t empty = 0;
  const void* data = v.empty() ? &empty : v.data();
  if (int rc = sqlite3_bind_blob64(stmt_, i, data, v.size(), SQLITE_TRANSIENT); rc != SQLITE_OK)
    throw_failure(db_, rc, "bind");
  return *this;
}

statement& statement::bind(int i, std::nullopt_t) {
  if (pg_) return pg_bind(*pg_, i, std::nullopt), *this;
  if (int rc = sqlite3_bind_null(stmt_, i); rc != SQLITE_OK) throw_failure(db_, rc, "bind");
  return *this;
}

statement& statement::bind_null(int i, null_type t) {
  if (!pg_) return bind(i, std::nullopt);
  pg::param p{std::nullopt};
  p.type = t == null_type::integer ? pg::param::int8_oid
           : t == null_type::text  ? pg::param::text_oid
                                   : pg::param::bytea_oid;
  pg_bind(*pg_, i, std::move(p));
  return *this;
}

bool statement::step() {
  if (pg_) return pg_step(*pg_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_failure(db_, rc, sqlite3_sql(stmt_));
}

void statement::run() {
  while (step()) {
  }
}

bool statement::is_null(int col) const {
  if (pg_) return pg_->rows->is_null(pg_->row, col);
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::int64_t statement::int64(int col) const {
  // A NULL reads as 0 and a boolean as 0 or 1, as SQLite gives them.
  if (pg_) {
    if (is_null(col)) return 0;
    const auto t = pg_->rows->text(pg_->row, col);
    if (t == "t" || t == "f") return t == "t";
    return pg_->rows->int64(pg_->row, col);
  }
  return sqlite3_column_int64(stmt_, col);
}

std::optional<std::int64_t> statement::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::string statement::text(int col) const {
  if (pg_) return std::string{pg_->rows->text(pg_->row, col)};
  const auto* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : "";
}

bytes_view statement::blob_view(int col) const {
  if (pg_) {
    if (is_null(col)) return {};
    auto it = pg_->blobs.find(col);
    if (it == pg_->blobs.end()) it = pg_->blobs.emplace(col, blob(col)).first;
    return it->second;
  }
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? bytes_view{p, static_cast<std::size_t>(n)} : bytes_view{};
}

bytes statement::blob(int col) const {
  if (pg_) return is_null(col) ? bytes{} : pg_->rows->blob(pg_->row, col);
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p ? bytes(p, p + n) : bytes{};
}

// ---- connection ----------------------------------------------------------------------

connection connection::open(const std::filesystem::path& file, access a, int busy_timeout_ms) {
  // SQLite's allocation statistics take a global mutex on every malloc, which every reader
  // thread would then contend for. Only possible before SQLite initializes; harmless if late.
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  // NOMUTEX: each connection is used by one thread at a time (the writer, or a leased reader).
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  connection c;
  c.db_.reset(raw);
  if (rc != SQLITE_OK) throw_failure(raw, rc, "opening " + file.string());
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  c.exec("PRAGMA foreign_keys = ON");
  if (a == access::read_write) {
    c.exec("PRAGMA journal_mode = WAL");
    // FULL: a commit is on disk before it is acknowledged, in WAL mode too.
    c.exec("PRAGMA synchronous = FULL");
    // Whenever the WAL starts over, its file is cut back to 4 MiB: a burst (a long read that
    // held the checkpoints off) does not keep its size on disk.
    c.exec("PRAGMA journal_size_limit = 4194304");
  } else {
    c.exec("PRAGMA query_only = ON");
  }
  return c;
}

connection connection::open_postgres(const std::string& uri) {
  connection c;
  c.pg_ = pg_open(uri);
  return c;
}

connection::~connection() = default;

statement connection::query(std::string_view sql) {
  if (pg_) return statement{pg_query(*pg_, sql)};
  sqlite3_stmt* cached = nullptr;
  if (auto a = by_address_.find(sql.data()); a != by_address_.end() && a->second.sql == sql) {
    cached = a->second.stmt;
  } else {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* s = nullptr;
      const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &s, nullptr);
      if (rc != SQLITE_OK) throw_failure(db_.get(), rc, sql);
      it = cache_.emplace(std::string{sql}, stmt_ptr{s}).first;
    }
    cached = it->second.get();
    // Texts built at run time would add an address per call: keep the index small.
    if (by_address_.size() > 1024) by_address_.clear();
    by_address_[sql.data()] = by_address{it->first, cached};
  }
  if (!sqlite3_stmt_busy(cached)) return statement{db_.get(), cached, {}};
  // The cached one is in use further up the stack (a nested query): use a fresh one.
  sqlite3_stmt* s = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) throw_failure(db_.get(), rc, sql);
  return statement{db_.get(), s, stmt_ptr{s}};
}

void connection::exec(const std::string& sql) {
  if (pg_) return pg_->conn.exec_script(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw failure(rc, what + " (in: " + sql.substr(0, 60) + ")");
  }
}

std::int64_t connection::last_insert_id() {
  // Every table whose key the operations leave to the database has an identity column.
  if (pg_) return pg_->conn.exec("SELECT lastval()").int64(0, 0);
  return sqlite3_last_insert_rowid(db_.get());
}
int connection::changes() const {
  if (pg_) return static_cast<int>(pg_->changes);
  return sqlite3_changes(db_.get());
}
bool connection::in_transaction() const {
  if (pg_) return pg_in_transaction(*pg_);
  return sqlite3_get_autocommit(db_.get()) == 0;
}

// ---- transaction and savepoint --------------------------------------------------------

// Transaction control goes through cached statements: a read transaction per verification
// must not pay for parsing "BEGIN" every time.
transaction::transaction(connection& c, mode m) : c_(c) {
  if (m == mode::deferred && c_.in_transaction()) {
    open_ = false;
    joined_ = true;
    return;
  }
  if (!c_.is_postgres()) {
    c_.query(m == mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN").run();
    return;
  }
  // PostgreSQL: several servers write to one database. The writer lock makes their writes
  // one sequence, as SQLite's single writer does (storage/README.md).
  c_.query("BEGIN").run();
  if (m == mode::immediate) c_.query("SELECT pg_advisory_xact_lock(?)").bind(1, writer_lock).run();
}

transaction::~transaction() {
  rollback();
}

void transaction::commit() {
  if (joined_) return;
  c_.query("COMMIT").run();
  open_ = false;
}

void transaction::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  // Errors ignored: SQLite may already have rolled back (after an I/O error, for instance).
  try {
    c_.query("ROLLBACK").run();
  } catch (const std::exception&) {
  }
}

savepoint::savepoint(connection& c) : c_(c) {
  c_.query("SAVEPOINT op").run();
}

savepoint::~savepoint() {
  rollback();
}

void savepoint::release() {
  c_.query("RELEASE op").run();
  open_ = false;
}

void savepoint::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  try {
    c_.query("ROLLBACK TO op").run();
    c_.query("RELEASE op").run();
  } catch (const std::exception&) {
  }
}

}  // namespace coldtrace::storage::sql
