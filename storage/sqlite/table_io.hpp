// Reading and writing a table's rows on either backend, column by column as their types say
// (INTEGER/bigint, TEXT/text, BLOB/bytea), for db copy (storage/copy.hpp). Internal to storage/.
#pragma once

#include "storage/copy.hpp"
#include "storage/sqlite/db.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coldtrace::storage::table_io {

constexpr std::int64_t page_rows = 5000;  // read at a time from the source
constexpr std::size_t insert_rows = 100;  // rows per INSERT

enum class kind { integer, text, blob };
struct column {
  std::string name;
  kind type;
};

struct value {
  bool null = true;
  std::int64_t i = 0;
  std::string s;  // text, or a blob's bytes
};

// A SQLite file (read-only unless `write`) or a postgresql:// URI.
sql::connection open_db(const std::string& db, bool write);
// A table or column name, quoted.
std::string ident(std::string_view name);
// The tables, sorted by name (PostgreSQL's schema_version aside).
std::vector<std::string> list_tables(sql::connection& c);
// A table's columns, sorted by name: SQLite and PostgreSQL may hold them in another order (a
// table rebuilt by one migration, altered by its twin), and a fingerprint must not depend on it.
std::vector<column> list_columns(sql::connection& c, std::string_view table);
// The first table of `c` holding a row, and its row count.
std::optional<std::pair<std::string, std::int64_t>> first_rows(sql::connection& c);

void read_value(const sql::statement& q, int col, kind k, value& v);
// Adds a row to a table's fingerprint: SHA-256 of its typed values, summed lane by lane, so
// that the order rows are read in does not matter.
void add_row(table_summary& t, const std::vector<column>& cols, const std::vector<value>& row);

// Reads a table in `order` (a total order) page by page, calling `each` with every row.
template <class F>
void read_table(sql::connection& c, std::string_view table, std::string_view order,
                const std::vector<column>& cols, F&& each) {
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < cols.size(); ++i) select += (i ? ", " : "") + ident(cols[i].name);
  select += " FROM " + ident(table) + " ORDER BY " + std::string{order} + " LIMIT ? OFFSET ?";
  std::vector<value> row(cols.size());
  for (std::int64_t offset = 0;; offset += page_rows) {
    auto q = c.query(select);
    q.with(page_rows, offset);
    std::int64_t n = 0;
    while (q.step()) {
      for (std::size_t i = 0; i < cols.size(); ++i)
        read_value(q, static_cast<int>(i), cols[i].type, row[i]);
      each(row);
      ++n;
    }
    if (n < page_rows) return;
  }
}

// Inserts rows into a table, insert_rows at a time.
class inserter {
 public:
  inserter(sql::connection& c, std::string_view table, const std::vector<column>& cols);
  void add(const std::vector<value>& row);
  void flush();

 private:
  sql::connection& c_;
  const std::vector<column>& cols_;
  std::string head_;
  std::vector<std::vector<value>> rows_;
};

}  // namespace coldtrace::storage::table_io
