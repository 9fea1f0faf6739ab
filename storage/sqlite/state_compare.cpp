// The second half of the replay (replay.cpp): the state tables of the database and of the
// replay, read in key order side by side, compared cell by cell.
#include "storage/sqlite/db.hpp"

#include <sqlite3.h>

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

// Every table an operation writes. verification_counts is not state an event produces (reads
// are counted, not recorded); events and chain_head are what verify_chain proves.
constexpr std::array<state_table, 13> tables{{
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
    {"inspections", "id", 1},
    {"inspection_codes", "inspection_id, ordinal", 2},
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

}  // namespace

void copy_cell(connection& file, connection& replay, const std::string& table,
               const std::string& column, std::int64_t id) {
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
