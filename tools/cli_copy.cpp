// db copy: a city's ledger from one database to another (storage/copy.hpp) — into PostgreSQL
// when it outgrows one machine, or back into a SQLite file.
#include "storage/copy.hpp"
#include "storage/postgres_ledger.hpp"
#include "tools/cli_ledger.hpp"

#include <iostream>

namespace coldtrace::cli {

void add_copy_command(CLI::App& db) {
  auto a = std::make_shared<std::pair<std::string, std::string>>();
  auto* copy = db.add_subcommand(
      "copy",
      "Copy a whole ledger (every table, the audit chain unchanged) into a new or empty "
      "database: a SQLite file into PostgreSQL, or back. Stop the servers first");
  copy->add_option("--from", a->first, "Source: database file, or a postgresql:// URI")->required();
  copy->add_option("--to", a->second, "Destination, new or empty: file or postgresql:// URI")
      ->required();
  copy->callback([a] {
    const auto r = ledger_or_exit(storage::copy_ledger(a->first, a->second));
    std::int64_t rows = 0;
    for (const auto& t : r.tables) rows += t.rows;
    std::cout << "copied " << storage::printable_db(a->first) << " to "
              << storage::printable_db(a->second) << " (schema version " << r.version
              << "): " << r.tables.size() << " tables, " << rows << " rows\n";
    for (const auto& t : r.tables) std::cout << "  " << t.name << ": " << t.rows << "\n";
    std::cout << "every table checked equal on both sides; audit chain head: event " << r.head_seq
              << ", hash " << (r.head_hash.empty() ? "none" : r.head_hash)
              << "\ncheck it with: coldtrace audit verify --db " << storage::printable_db(a->second)
              << "\n";
  });
}

}  // namespace coldtrace::cli
