// The second half of the replay (replay.cpp): the state tables of the database and of the
// replay, read in key order side by side, compared cell by cell.
#include "storage/sqlite/db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace coldtrace::storage::sql {
namespace {

struct state_table {
  const char* name;
  const char* key;  // the ORDER BY; its columns come first in every row read
  int key_columns;
};

// Every table an operation writes. scan_counts and code_scans are not state an event produces
// (reads are counted, not recorded); events and chain_head are what verify_chain proves.
constexpr std::array<state_table, 17> tables{{
    {"units", "id", 1},
    {"accounts", "id", 1},
    {"lots", "id", 1},
    {"samples", "id", 1},
    {"results", "sample_id", 1},
    {"disinfections", "id", 1},
    {"codes", "id", 1},
    {"transfers", "id", 1},
    {"sales", "id", 1},
    {"sale_checks", "id", 1},
    {"recalls", "id", 1},
    {"recall_proposals", "id", 1},
    {"recall_holders", "recall_id, unit_id", 2},
    {"inspections", "id", 1},
    {"inspection_codes", "inspection_id, ordinal", 2},
    {"inspection_findings", "id", 1},
    {"inspection_photos", "id", 1},
}};

stmt_ptr prepare(connection& c, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (int rc = sqlite3_prepare_v2(c.handle(), sql.c_str(), -1, &s, nullptr); rc != SQLITE_OK)
    throw_failure(c.handle(), rc, sql);
  return stmt_ptr{s};
}

bool step(connection& c, sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) throw_failure(c.handle(), rc, sqlite3_sql(s));
  return false;
}

std::string value_text(sqlite3_stmt* s, int col) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL: return "NULL";
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(s, col));
    case SQLITE_FLOAT: return std::to_string(sqlite3_column_double(s, col));
    case SQLITE_BLOB: {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, col));
      const auto n = static_cast<std::size_t>(sqlite3_column_bytes(s, col));
      if (n == 0) return "an empty blob";
      return "x'" + to_hex(bytes_view{p, std::min<std::size_t>(n, 16)}) + (n > 16 ? "…'" : "'");
    }
    default:
      return std::string{reinterpret_cast<const char*>(sqlite3_column_text(s, col)),
                         static_cast<std::size_t>(sqlite3_column_bytes(s, col))};
  }
}

bool same_value(sqlite3_stmt* a, sqlite3_stmt* b, int col) {
  const int type = sqlite3_column_type(a, col);
  if (type != sqlite3_column_type(b, col)) return false;
  switch (type) {
    case SQLITE_NULL: return true;
    case SQLITE_INTEGER: return sqlite3_column_int64(a, col) == sqlite3_column_int64(b, col);
    case SQLITE_FLOAT: return sqlite3_column_double(a, col) == sqlite3_column_double(b, col);
    default: {
      const void* pa = type == SQLITE_BLOB ? sqlite3_column_blob(a, col)
                                           : static_cast<const void*>(sqlite3_column_text(a, col));
      const void* pb = type == SQLITE_BLOB ? sqlite3_column_blob(b, col)
                                           : static_cast<const void*>(sqlite3_column_text(b, col));
      const int n = sqlite3_column_bytes(a, col);
      return n == sqlite3_column_bytes(b, col) && (n == 0 || std::memcmp(pa, pb, n) == 0);
    }
  }
}

std::vector<std::int64_t> key_of(sqlite3_stmt* s, int n) {
  std::vector<std::int64_t> k;
  for (int i = 0; i < n; ++i) k.push_back(sqlite3_column_int64(s, i));
  return k;
}

std::string key_text(const std::vector<std::int64_t>& k) {
  std::string out;
  for (auto v : k) out += (out.empty() ? "" : "/") + std::to_string(v);
  return out;
}

std::vector<std::string> columns_of(connection& c, const char* table) {
  auto q = prepare(c, std::string{"SELECT name FROM pragma_table_info('"} + table + "')");
  std::vector<std::string> out;
  while (step(c, q.get()))
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0)));
  return out;
}

// ---- a database on PostgreSQL, read through the engine-neutral statement ------------------
// The replay is SQLite's (its declared types say which columns are BLOBs); the database's
// cells are compared as bytes (BLOB) or as their text, which is exact for bigint and text.

struct column_info {
  std::string name;
  bool blob;
};

std::vector<column_info> replay_columns(connection& replay, const char* table) {
  auto q = prepare(replay,
                   std::string{"SELECT name, upper(type) FROM pragma_table_info('"} + table + "')");
  std::vector<column_info> out;
  while (step(replay, q.get()))
    out.push_back(
        {reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0)),
         std::string_view{reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1))}.find(
             "BLOB") != std::string_view::npos});
  return out;
}

std::string cell_text(const statement& s, int col, bool blob) {
  if (s.is_null(col)) return "NULL";
  if (!blob) return s.text(col);
  const auto b = s.blob_view(col);
  if (b.empty()) return "an empty blob";
  return "x'" + to_hex(b.first(std::min<std::size_t>(b.size(), 16))) + (b.size() > 16 ? "…'" : "'");
}

bool same_cell(const statement& a, const statement& b, int col, bool blob) {
  if (a.is_null(col) != b.is_null(col)) return false;
  if (a.is_null(col)) return true;
  if (!blob) return a.text(col) == b.text(col);
  const auto x = a.blob_view(col), y = b.blob_view(col);
  return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin());
}

std::vector<std::int64_t> key_of(const statement& s, int n) {
  std::vector<std::int64_t> k;
  for (int i = 0; i < n; ++i) k.push_back(s.int64(i));
  return k;
}

std::string compare_state_any(connection& file, connection& replay, std::int64_t& rows) {
  for (const auto& t : tables) {
    const auto columns = replay_columns(replay, t.name);
    std::string list = t.key;
    for (const auto& c : columns) list += ", " + c.name;
    const std::string sql =
        std::string{"SELECT "} + list + " FROM " + t.name + " ORDER BY " + t.key;
    auto a = file.query(sql);
    auto b = replay.query(sql);
    bool has_a = a.step(), has_b = b.step();
    const std::string table = t.name;
    while (has_a || has_b) {
      const auto ka = has_a ? key_of(a, t.key_columns) : std::vector<std::int64_t>{};
      const auto kb = has_b ? key_of(b, t.key_columns) : std::vector<std::int64_t>{};
      if (!has_b || (has_a && ka < kb))
        return table + " row " + key_text(ka) + " is in the database, but no event produces it";
      if (!has_a || kb < ka)
        return table + " row " + key_text(kb) +
               " is missing from the database: the events produce it";
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const int col = t.key_columns + static_cast<int>(i);
        if (!same_cell(a, b, col, columns[i].blob))
          return table + " row " + key_text(ka) + ": " + columns[i].name + " is " +
                 cell_text(a, col, columns[i].blob) + ", the events give " +
                 cell_text(b, col, columns[i].blob);
      }
      ++rows;
      has_a = a.step();
      has_b = b.step();
    }
  }
  return {};
}

void copy_cell_any(connection& file, connection& replay, const std::string& table,
                   const std::string& column, std::int64_t id) {
  bool blob = false;
  for (const auto& c : replay_columns(replay, table.c_str()))
    if (c.name == column) blob = c.blob;
  auto from = file.query("SELECT " + column + " FROM " + table + " WHERE id = ?");
  from.with(id);
  if (!from.step()) return;  // the row is missing: the comparison says so
  auto to = replay.query("UPDATE " + table + " SET " + column + " = ? WHERE id = ?");
  if (from.is_null(0))
    to.bind(1, std::nullopt);
  else if (blob)
    to.bind(1, from.blob(0));
  else
    to.bind(1, from.text(0));
  to.bind(2, id).run();
}

}  // namespace

void copy_cell(connection& file, connection& replay, const std::string& table,
               const std::string& column, std::int64_t id) {
  if (file.is_postgres()) return copy_cell_any(file, replay, table, column, id);
  auto from = prepare(file, "SELECT " + column + " FROM " + table + " WHERE id = ?");
  sqlite3_bind_int64(from.get(), 1, id);
  if (!step(file, from.get())) return;  // the row is missing: the comparison says so
  auto to = prepare(replay, "UPDATE " + table + " SET " + column + " = ? WHERE id = ?");
  sqlite3_bind_value(to.get(), 1, sqlite3_column_value(from.get(), 0));
  sqlite3_bind_int64(to.get(), 2, id);
  step(replay, to.get());
}

// The first difference, for a person: "lots row 13: status is released, the events give
// quarantined"; empty when every row of every table is equal.
std::string compare_state(connection& file, connection& replay, std::int64_t& rows) {
  if (file.is_postgres()) return compare_state_any(file, replay, rows);
  for (const auto& t : tables) {
    const auto columns = columns_of(file, t.name);
    std::string list = t.key;
    for (const auto& c : columns) list += ", " + c;
    const std::string sql =
        std::string{"SELECT "} + list + " FROM " + t.name + " ORDER BY " + t.key;
    auto a = prepare(file, sql);
    auto b = prepare(replay, sql);
    bool has_a = step(file, a.get()), has_b = step(replay, b.get());
    const std::string table = t.name;
    while (has_a || has_b) {
      const auto ka = has_a ? key_of(a.get(), t.key_columns) : std::vector<std::int64_t>{};
      const auto kb = has_b ? key_of(b.get(), t.key_columns) : std::vector<std::int64_t>{};
      if (!has_b || (has_a && ka < kb))
        return table + " row " + key_text(ka) + " is in the database, but no event produces it";
      if (!has_a || kb < ka)
        return table + " row " + key_text(kb) +
               " is missing from the database: the events produce it";
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const int col = t.key_columns + static_cast<int>(i);
        if (!same_value(a.get(), b.get(), col))
          return table + " row " + key_text(ka) + ": " + columns[i] + " is " +
                 value_text(a.get(), col) + ", the events give " + value_text(b.get(), col);
      }
      ++rows;
      has_a = step(file, a.get());
      has_b = step(replay, b.get());
    }
  }
  return {};
}

}  // namespace coldtrace::storage::sql
