#include "storage/postgres/pg.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace coldtrace::storage::pg {
namespace {

[[noreturn]] void throw_result(const PGresult* r, const PGconn* c, std::string_view doing) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string what{doing.substr(0, 80)};
  what += ": ";
  const char* message = r ? PQresultErrorMessage(r) : "";
  what += *message ? message : PQerrorMessage(c);
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  throw failure(state ? state : "", what);
}

// Notices (an IF NOT EXISTS that skipped, for instance) are not the ledger's output.
void ignore_notice(void*, const char*) {}

int hex_value(char h) {
  if (h >= '0' && h <= '9') return h - '0';
  if (h >= 'a' && h <= 'f') return h - 'a' + 10;
  if (h >= 'A' && h <= 'F') return h - 'A' + 10;
  return -1;
}

}  // namespace

bool is_uri(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string mask_uri(std::string_view uri) {
  // scheme://[user[:password]@]host...: the password is between the first ':' after the
  // scheme and the last '@' before the path.
  const auto scheme = uri.find("://");
  if (scheme == std::string_view::npos) return std::string{uri};
  const auto rest = scheme + 3;
  const auto path = uri.find_first_of("/?", rest);
  const auto authority = uri.substr(rest, path == std::string_view::npos ? uri.npos : path - rest);
  const auto at = authority.rfind('@');
  std::string out{uri};
  if (const auto colon = authority.find(':');
      at != std::string_view::npos && colon != std::string_view::npos && colon < at)
    out = std::string{uri.substr(0, rest + colon + 1)} + "***" + std::string{uri.substr(rest + at)};
  // A password may also come as a parameter: ...?password=secret&...
  for (auto p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    if (p == 0 || (out[p - 1] != '?' && out[p - 1] != '&')) continue;
    const auto start = p + 9;
    const auto end = out.find('&', start);
    out.replace(start, end == std::string::npos ? out.npos : end - start, "***");
  }
  return out;
}

void finish_conn::operator()(pg_conn* c) const noexcept {
  PQfinish(c);
}
void clear_result::operator()(pg_result* r) const noexcept {
  PQclear(r);
}

// ---- result ---------------------------------------------------------------------------

int result::rows() const {
  return PQntuples(r_.get());
}
int result::columns() const {
  return PQnfields(r_.get());
}
bool result::is_null(int row, int col) const {
  return PQgetisnull(r_.get(), row, col) != 0;
}

std::string_view result::text(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col),
          static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
}

std::int64_t result::int64(int row, int col) const {
  const auto t = text(row, col);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc{} || end != t.data() + t.size())
    throw failure("", "column " + std::string{PQfname(r_.get(), col)} + " is not an integer: '" +
                          std::string{t.substr(0, 40)} + "'");
  return v;
}

std::optional<std::int64_t> result::opt_int64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return int64(row, col);
}

bool result::boolean(int row, int col) const {
  return text(row, col) == "t";
}

bytes result::blob(int row, int col) const {
  const auto t = text(row, col);
  if (!t.starts_with("\\x") || t.size() % 2 != 0)
    throw failure("", "column " + std::string{PQfname(r_.get(), col)} + " is not bytea in hex");
  bytes out;
  out.reserve(t.size() / 2 - 1);
  for (std::size_t i = 2; i < t.size(); i += 2) {
    const int hi = hex_value(t[i]), lo = hex_value(t[i + 1]);
    if (hi < 0 || lo < 0) throw failure("", "bad hex digit in a bytea column");
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

std::string_view result::status() const {
  return PQcmdStatus(r_.get());
}

std::int64_t result::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return *n ? std::stoll(n) : 0;
}

// ---- connection -----------------------------------------------------------------------

connection connection::open(const std::string& uri) {
  connection c;
  c.c_.reset(PQconnectdb(uri.c_str()));
  if (!c.c_) throw failure("", "connecting to " + mask_uri(uri) + ": out of memory");
  if (PQstatus(c.c_.get()) != CONNECTION_OK) {
    std::string why = PQerrorMessage(c.c_.get());
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw failure("", "connecting to " + mask_uri(uri) + ": " + why);
  }
  PQsetNoticeProcessor(c.c_.get(), ignore_notice, nullptr);
  return c;
}

connection::~connection() = default;

namespace {

// Parameters as libpq takes them: integers and text as text, bytes in binary.
struct marshalled {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  std::vector<Oid> types;
  explicit marshalled(const std::vector<param>& params) {
    values.reserve(params.size());
    for (const auto& p : params) {
      types.push_back(p.type);
      values.push_back(p.value ? p.value->data() : nullptr);
      lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
      formats.push_back(p.binary ? 1 : 0);
    }
  }
  int count() const { return static_cast<int>(values.size()); }
};

}  // namespace

result connection::exec(std::string_view sql, const std::vector<param>& params) {
  const std::string text{sql};
  const marshalled m{params};
  result r{PQexecParams(c_.get(), text.c_str(), m.count(), m.types.data(), m.values.data(),
                        m.lengths.data(), m.formats.data(), 0)};
  const auto status = PQresultStatus(r.handle());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw_result(r.handle(), c_.get(), sql);
  return r;
}

result connection::exec_prepared(const std::string& name, std::string_view sql,
                                 const std::vector<param>& params, bool prepare) {
  const marshalled m{params};
  if (prepare) {
    const std::string text{sql};
    result p{PQprepare(c_.get(), name.c_str(), text.c_str(), m.count(), m.types.data())};
    if (PQresultStatus(p.handle()) != PGRES_COMMAND_OK) throw_result(p.handle(), c_.get(), sql);
  }
  result r{PQexecPrepared(c_.get(), name.c_str(), m.count(), m.values.data(), m.lengths.data(),
                          m.formats.data(), 0)};
  const auto status = PQresultStatus(r.handle());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw_result(r.handle(), c_.get(), sql);
  return r;
}

void connection::exec_script(const std::string& sql) {
  result r{PQexec(c_.get(), sql.c_str())};
  const auto status = PQresultStatus(r.handle());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw_result(r.handle(), c_.get(), sql);
}

// ---- transaction ----------------------------------------------------------------------

transaction::transaction(connection& c, isolation i) : c_(c) {
  switch (i) {
    case isolation::read_committed: c_.exec("BEGIN"); break;
    case isolation::repeatable_read: c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ"); break;
    case isolation::serializable: c_.exec("BEGIN ISOLATION LEVEL SERIALIZABLE"); break;
  }
}

transaction::~transaction() {
  rollback();
}

void transaction::commit() {
  open_ = false;  // a failed COMMIT has ended the transaction too
  // After an error inside the transaction the server answers COMMIT with ROLLBACK, not with
  // an error: that must not pass for a commit.
  if (auto r = c_.exec("COMMIT"); r.status() != "COMMIT")
    throw failure("25P02",
                  "the transaction was rolled back, not committed (an earlier statement"
                  " in it failed)");
}

void transaction::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  // Errors ignored: the connection may be gone, which ends the transaction anyway.
  try {
    c_.exec("ROLLBACK");
  } catch (const std::exception&) {
  }
}

}  // namespace coldtrace::storage::pg
