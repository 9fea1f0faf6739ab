// Rows of any table on either backend, for db copy (storage/sqlite/table_io.hpp).
#include "storage/sqlite/table_io.hpp"

#include "storage/digest.hpp"
#include "storage/postgres_ledger.hpp"

#include <algorithm>

namespace coldtrace::storage::table_io {
namespace {

void bind_value(sql::statement& s, int i, kind k, const value& v) {
  if (v.null) {
    s.bind_null(i, k == kind::integer ? sql::statement::null_type::integer
                   : k == kind::text  ? sql::statement::null_type::text
                                      : sql::statement::null_type::blob);
  } else if (k == kind::integer) {
    s.bind(i, v.i);
  } else if (k == kind::text) {
    s.bind(i, std::string_view{v.s});
  } else {
    s.bind(i, bytes_view{reinterpret_cast<const std::uint8_t*>(v.s.data()), v.s.size()});
  }
}

}  // namespace

sql::connection open_db(const std::string& db, bool write) {
  if (is_postgres(db)) return sql::connection::open_postgres(db);
  return sql::connection::open(
      db, write ? sql::connection::access::read_write : sql::connection::access::read_only, 5000);
}

std::string ident(std::string_view name) {
  return "\"" + std::string{name} + "\"";
}

std::vector<std::string> list_tables(sql::connection& c) {
  std::vector<std::string> out;
  auto q = c.query(c.is_postgres() ? "SELECT table_name::text FROM information_schema.tables"
                                     " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                                     " AND table_name <> 'schema_version'"
                                   : "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                     " AND name NOT LIKE 'sqlite%'");
  while (q.step()) out.push_back(q.text(0));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<column> list_columns(sql::connection& c, std::string_view table) {
  std::vector<column> out;
  auto q = c.query(c.is_postgres()
                       ? "SELECT column_name::text, data_type::text FROM information_schema.columns"
                         " WHERE table_schema = 'public' AND table_name::text = ?"
                         " ORDER BY ordinal_position"
                       : "SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, table);
  while (q.step()) {
    const auto type = q.text(1);
    const bool integer = type == "INTEGER" || type == "bigint";
    const bool blob = type == "BLOB" || type == "bytea";
    out.push_back({q.text(0), integer ? kind::integer : blob ? kind::blob : kind::text});
  }
  std::sort(out.begin(), out.end(),
            [](const column& a, const column& b) { return a.name < b.name; });
  return out;
}

std::optional<std::pair<std::string, std::int64_t>> first_rows(sql::connection& c) {
  for (const auto& t : list_tables(c)) {
    auto q = c.query("SELECT count(*) FROM " + ident(t));
    if (q.step() && q.int64(0) > 0) return std::pair{t, q.int64(0)};
  }
  return std::nullopt;
}

void read_value(const sql::statement& q, int col, kind k, value& v) {
  v.null = q.is_null(col);
  if (v.null) return;
  if (k == kind::integer) {
    v.i = q.int64(col);
  } else if (k == kind::text) {
    v.s = q.text(col);
  } else {
    const auto b = q.blob_view(col);
    v.s.assign(b.begin(), b.end());
  }
}

void add_row(table_summary& t, const std::vector<column>& cols, const std::vector<value>& row) {
  bytes enc;
  auto put64 = [&](std::uint64_t n) {
    for (int b = 7; b >= 0; --b) enc.push_back(static_cast<std::uint8_t>(n >> (8 * b)));
  };
  for (std::size_t i = 0; i < cols.size(); ++i) {
    enc.push_back(row[i].null ? 0 : static_cast<std::uint8_t>(1 + static_cast<int>(cols[i].type)));
    if (row[i].null) continue;
    if (cols[i].type == kind::integer) {
      put64(static_cast<std::uint64_t>(row[i].i));
    } else {
      put64(row[i].s.size());
      enc.insert(enc.end(), row[i].s.begin(), row[i].s.end());
    }
  }
  const auto h = sha256(enc);
  for (std::size_t lane = 0; lane < 4; ++lane) {
    std::uint64_t n = 0;
    for (std::size_t b = 0; b < 8; ++b) n = (n << 8) | h[lane * 8 + b];
    t.fingerprint[lane] += n;
  }
  ++t.rows;
}

inserter::inserter(sql::connection& c, std::string_view table, const std::vector<column>& cols)
    : c_(c), cols_(cols) {
  head_ = "INSERT INTO " + ident(table) + " (";
  for (std::size_t i = 0; i < cols.size(); ++i) head_ += (i ? ", " : "") + ident(cols[i].name);
  head_ += ") VALUES ";
}

void inserter::add(const std::vector<value>& row) {
  rows_.push_back(row);
  if (rows_.size() == insert_rows) flush();
}

void inserter::flush() {
  if (rows_.empty()) return;
  std::string text = head_;
  std::string one = "(";
  for (std::size_t i = 0; i < cols_.size(); ++i) one += i ? ", ?" : "?";
  one += ")";
  for (std::size_t r = 0; r < rows_.size(); ++r) text += (r ? ", " : "") + one;
  auto s = c_.query(text);
  int p = 0;
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < cols_.size(); ++i) bind_value(s, ++p, cols_[i].type, row[i]);
  s.run();
  rows_.clear();
}

}  // namespace coldtrace::storage::table_io
