// db backup and db restore: a consistent copy of the ledger while the server runs, and the
// way back from one (storage/backup.hpp). The backup checks the copy's audit chain at once,
// so a nightly job fails loudly rather than keeping copies nobody can restore.
#include "storage/backup.hpp"
#include "storage/postgres_ledger.hpp"
#include "tools/cli_ledger.hpp"

#include <iostream>

namespace coldtrace::cli {
namespace {

struct backup_args {
  std::string db, copy;
  bool force = false;
};

// db backup and db restore copy a SQLite file. A PostgreSQL database is copied by
// PostgreSQL's own tools, which know its files and its WAL; faking them here would be worse.
void not_on_postgres(const std::string& db, std::string_view command) {
  if (!storage::is_postgres(db)) return;
  std::cerr << "coldtrace: " << storage::printable_db(db) << ": db " << command
            << " copies a SQLite file. On PostgreSQL use its own tools: pg_dump --format=custom"
               " for a logical copy (restored with pg_restore into an empty database), or"
               " pg_basebackup with WAL archiving for point-in-time recovery, and a synchronous"
               " standby against losing the machine (docs/deploy.md). Then check the copy with:"
               " coldtrace audit verify --db postgresql://...\n";
  throw cli_exit{2};
}

void backup(const backup_args& a) {
  not_on_postgres(a.db, "backup");
  storage::backup_options o;
  o.replace = a.force;
  const auto r = ledger_or_exit(storage::backup_database(a.db, a.copy, o));
  std::cout << "backup of " << a.db << " in " << a.copy << ": " << r.pages << " pages, up to audit"
            << " event " << r.head << "\n";
  const auto check = or_exit(storage::verify_audit_chain(a.copy), 1);
  if (!check.intact()) {
    std::cout << "the copy does NOT verify: "
              << (check.first_bad ? check.problem : check.state_problem) << "\n";
    throw cli_exit{1};
  }
  std::cout << "the copy verifies: " << check.events << " events, " << check.rows
            << " state rows\n";
}

void restore(const backup_args& a) {
  not_on_postgres(a.db, "restore");
  const auto r = ledger_or_exit(storage::restore_database(a.copy, a.db, a.force));
  std::cout << a.db << " restored from " << a.copy << ": " << r.events << " audit events, "
            << r.rows << " state rows, verified\n";
}

}  // namespace

void add_backup_commands(CLI::App& db) {
  auto b = std::make_shared<backup_args>();
  auto* backup_cmd = db.add_subcommand(
      "backup", "Copy the database while the server runs, then verify the copy's audit chain");
  backup_cmd->add_option("--db", b->db, "Database file (on PostgreSQL: pg_dump or pg_basebackup)")
      ->required();
  backup_cmd->add_option("--to", b->copy, "The copy to write (a new file)")->required();
  backup_cmd->add_flag("--force", b->force, "Replace the copy if it exists");
  backup_cmd->callback([b] { backup(*b); });

  auto r = std::make_shared<backup_args>();
  auto* restore_cmd = db.add_subcommand(
      "restore",
      "Replace the database with a backup whose audit chain verifies; the server must be"
      " stopped");
  restore_cmd->add_option("--from", r->copy, "The backup")->required();
  restore_cmd->add_option("--db", r->db, "Database file to create or replace")->required();
  restore_cmd->add_flag("--force", r->force, "Replace an existing database");
  restore_cmd->callback([r] { restore(*r); });
}

}  // namespace coldtrace::cli
