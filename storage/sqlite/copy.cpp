// coldtrace db copy (storage/copy.hpp): the ledger's rows from one database to another, on
// either backend, through the connection both share (sqlite/db.hpp).
#include "storage/copy.hpp"

#include "storage/postgres_ledger.hpp"
#include "storage/sqlite/table_io.hpp"
#include "storage/sqlite_ledger.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

namespace coldtrace::storage {
namespace {

namespace fs = std::filesystem;
using namespace table_io;

// Every table, each after the tables its rows refer to, with a total order to read it in
// (codes by split path: a parent before its children). A table added to the schema goes here
// too, or copy_ledger refuses to copy (and the copy test fails).
struct table_spec {
  std::string_view name, order;
};
constexpr std::array<table_spec, 26> specs{{
    {"units", "id"},
    {"accounts", "id"},
    {"lots", "id"},
    {"samples", "id"},
    {"results", "sample_id"},
    {"disinfections", "id"},
    {"codes", "lot_id, split_path"},
    {"transfers", "id"},
    {"sales", "id"},
    {"sale_checks", "id"},
    {"recalls", "id"},
    {"recall_proposals", "id"},
    {"recall_holders", "recall_id, unit_id"},
    {"inspections", "id"},
    {"inspection_codes", "inspection_id, ordinal"},
    {"inspection_findings", "id"},
    {"inspection_photos", "id"},
    {"scan_counts", "day, kind, verdict"},
    {"code_scans", "day, kind, code_id"},
    {"events", "seq"},
    {"chain_head", "id"},
    {"checkpoints", "seq"},
    {"idempotency_keys", "account_id, key"},
    {"passwords", "account_id"},
    {"sessions", "id"},
    {"published_keys", "kid"},
}};

// After rows were inserted with their own ids, PostgreSQL's identity columns go on from the
// highest (SQLite's rowids do by themselves).
void advance_identities(sql::connection& c) {
  std::vector<std::pair<std::string, std::string>> identity;
  auto q = c.query(
      "SELECT table_name::text, column_name::text FROM information_schema.columns"
      " WHERE table_schema = 'public' AND is_identity = 'YES'");
  while (q.step()) identity.emplace_back(q.text(0), q.text(1));
  for (const auto& [t, col] : identity)
    c.query("SELECT setval(pg_get_serial_sequence(?, ?), (SELECT max(" + ident(col) + ") FROM " +
            ident(t) + "))")
        .with(ident(t), col)
        .step();
}

table_summary summarize(sql::connection& c, const table_spec& spec) {
  table_summary t{std::string{spec.name}};
  const auto cols = list_columns(c, spec.name);
  read_table(c, spec.name, spec.order, cols,
             [&](const std::vector<value>& row) { add_row(t, cols, row); });
  return t;
}

// The copied tables equal the schema's, or nothing is copied.
void check_tables(sql::connection& c, const std::string& db) {
  const auto have = list_tables(c);
  auto known = std::vector<std::string>(copied_tables().begin(), copied_tables().end());
  std::sort(known.begin(), known.end());
  for (const auto& t : have)
    if (!std::binary_search(known.begin(), known.end(), t))
      throw std::runtime_error(printable_db(db) + " has a table db copy does not know (" + t +
                               "); nothing was copied");
  for (const auto& t : known)
    if (!std::binary_search(have.begin(), have.end(), t))
      throw std::runtime_error(printable_db(db) + " lacks the table " + t + "; nothing was copied");
}

bool same_database(const std::string& a, const std::string& b) {
  if (is_postgres(a) || is_postgres(b)) return a == b;
  std::error_code ec;
  return a == b || (fs::exists(a) && fs::exists(b) && fs::equivalent(a, b, ec));
}

result<int> migrate(const std::string& db) {
  return is_postgres(db) ? migrate_postgres(db) : migrate_database(db);
}

// The copy itself, once both schemas are current. Throws on any failure: the destination's
// transaction then rolls back.
copy_report copy_rows(const std::string& from, const std::string& to) {
  auto src = open_db(from, false);
  auto dst = open_db(to, true);
  check_tables(src, from);
  check_tables(dst, to);
  src.exec(src.is_postgres() ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
  sql::transaction t{dst, sql::transaction::mode::immediate};
  if (auto rows = first_rows(dst))
    throw std::invalid_argument(printable_db(to) + " is no longer empty (" + rows->first +
                                " has rows); nothing was copied");
  copy_report report;
  for (const auto& spec : specs) {
    const auto cols = list_columns(src, spec.name);
    table_summary read{std::string{spec.name}};
    inserter out{dst, spec.name, cols};
    read_table(src, spec.name, spec.order, cols, [&](const std::vector<value>& row) {
      add_row(read, cols, row);
      out.add(row);
    });
    out.flush();
    report.tables.push_back(std::move(read));
  }
  if (dst.is_postgres()) advance_identities(dst);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto written = summarize(dst, specs[i]);
    if (!(written == report.tables[i]))
      throw std::runtime_error("the copy of table " + written.name + " differs from its source (" +
                               std::to_string(written.rows) + " rows written, " +
                               std::to_string(report.tables[i].rows) +
                               " read); nothing was copied");
  }
  if (auto q = dst.query("SELECT seq, hash FROM chain_head WHERE id = 1"); q.step()) {
    report.head_seq = q.int64(0);
    report.head_hash = to_hex(q.blob_view(1));
  }
  t.commit();
  src.exec("COMMIT");
  return report;
}

}  // namespace

std::span<const std::string_view> copied_tables() {
  static const auto names = [] {
    std::array<std::string_view, specs.size()> out{};
    for (std::size_t i = 0; i < specs.size(); ++i) out[i] = specs[i].name;
    return out;
  }();
  return names;
}

result<std::vector<std::string>> schema_tables(const std::string& db) {
  try {
    auto c = open_db(db, false);
    return list_tables(c);
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

result<std::vector<table_summary>> summarize_tables(const std::string& db) {
  try {
    auto c = open_db(db, false);
    c.exec(c.is_postgres() ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    std::vector<table_summary> out;
    for (const auto& spec : specs) out.push_back(summarize(c, spec));
    c.exec("COMMIT");
    return out;
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

result<copy_report> copy_ledger(const std::string& from, const std::string& to) {
  if (same_database(from, to))
    return fail(errc::invalid_input, "db copy needs two databases: --from and --to name the same");
  if (!is_postgres(from) && !fs::exists(from))
    return fail(errc::not_found, "no database at " + from);
  const bool created = !is_postgres(to) && !fs::exists(to);
  try {
    {
      auto src = open_db(from, false);
      const auto tables = list_tables(src);
      if (!std::binary_search(tables.begin(), tables.end(), "events"))
        return fail(errc::not_found, printable_db(from) + " is not a coldtrace database");
    }
    // Refused before its schema is touched: a database holding anything stays as it is.
    if (!created) {
      auto dst = open_db(to, false);
      if (auto rows = first_rows(dst))
        return fail(errc::invalid_input,
                    printable_db(to) + " is not empty (table " + rows->first + " has " +
                        std::to_string(rows->second) +
                        " rows): db copy writes only into a new or empty database, so that two "
                        "ledgers are never mixed; nothing was copied");
    }
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
  auto remove_created = [&] {
    if (!created) return;
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(to + suffix, ignored);
  };
  auto from_version = migrate(from);
  if (!from_version) return from_version.error();
  auto to_version = migrate(to);
  if (!to_version) {
    remove_created();
    return to_version.error();
  }
  try {
    auto report = copy_rows(from, to);
    report.version = *to_version;
    return report;
  } catch (const std::invalid_argument& e) {
    remove_created();
    return fail(errc::invalid_input, e.what());
  } catch (const std::exception& e) {
    remove_created();
    return fail(errc::storage_failure, "db copy failed: " + std::string{e.what()});
  }
}

}  // namespace coldtrace::storage
