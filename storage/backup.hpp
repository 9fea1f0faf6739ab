// Backup and restore of a ledger's database file while the service runs.
//
// A backup is a consistent copy of the database as of the moment it starts: every write
// acknowledged before then is in it. It is taken with SQLite's online backup API, a few pages
// per step with a pause between steps, inside one read snapshot of the source. In WAL mode a
// reader never blocks the writer, and the snapshot keeps the backup from restarting whenever
// the service commits (without it, steady traffic would restart it for ever). The copy is
// written beside its final name and renamed into place once it is on disk, in rollback-journal
// mode: one self-contained file to keep off site.
//
// A restore checks the copy's audit chain and state (audit verify) before it touches
// anything, and refuses a database another process (a running `coldtrace serve`) has open.
#pragma once

#include "storage/error.hpp"
#include "storage/types.hpp"

#include <chrono>
#include <filesystem>

namespace coldtrace::storage {

struct backup_options {
  int pages_per_step = 1024;           // 4 MiB of 4 KiB pages at a time
  std::chrono::milliseconds pause{2};  // between steps: leaves the disk to the service
  bool replace = false;                // overwrite an existing copy
};

struct backup_report {
  std::int64_t pages = 0;  // the copy's size in pages
  std::int64_t steps = 0;
  event_seq head = 0;  // the last audit event in the copy
};

// Copies the database `db` to `copy`. Refuses an existing `copy` unless options.replace, and
// `copy` naming `db` itself.
result<backup_report> backup_database(const std::filesystem::path& db,
                                      const std::filesystem::path& copy, backup_options o = {});

struct restore_report {
  std::int64_t events = 0;  // audit events in the restored database
  std::int64_t rows = 0;    // state rows found equal to what the events produce
};

// Replaces (or creates) the database `db` with the backup `copy`, after checking the copy's
// audit chain and state. Refuses when `db` is open in another connection or process, and an
// existing `db` unless `replace`. The replacement is one transaction: a crash leaves the old
// database or the restored one, never a mix.
result<restore_report> restore_database(const std::filesystem::path& copy,
                                        const std::filesystem::path& db, bool replace);

}  // namespace coldtrace::storage
