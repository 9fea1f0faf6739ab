// The SQLite ledger: WAL, synchronous=FULL, one group-commit writer, a pool of readers.
#pragma once

#include "codec/keys.hpp"
#include "storage/ledger.hpp"

#include <chrono>
#include <filesystem>
#include <memory>

namespace coldtrace::storage {

struct sqlite_options {
  std::filesystem::path file;
  // Signs the codes issued at intake and dispatch; without one those operations fail with
  // errc::no_signing_key, everything else works.
  std::shared_ptr<const codec::signing_key> signing_key;
  // Operations committed together at most. 1 gives one commit per operation (the baseline
  // the benchmark compares group commit with).
  std::size_t max_batch = 512;
  int busy_timeout_ms = 5000;
  // A reader connection keeps its read snapshot for later reads until this ledger commits
  // anything, or for this long at most: beginning and ending a snapshot costs more than a
  // verification's lookup. The bound is how long a commit by another process (a CLI command
  // beside a running server) may stay unseen. 0: a fresh snapshot for every read.
  std::chrono::milliseconds snapshot_reuse{10};
  // The writer checkpoints the WAL between batches once it holds this many pages (4 KiB
  // each), waiting at most `checkpoint_wait` for the reads in progress (sqlite/wal_keeper.hpp).
  int checkpoint_pages = 256;
  std::chrono::milliseconds checkpoint_wait{10};
};

class sqlite_ledger : public ledger {
 public:
  // Creates the file when absent and applies the pending migrations.
  static result<std::unique_ptr<sqlite_ledger>> open(sqlite_options options);

  // Key rotation: codes issued from now on are signed with `key`.
  virtual void set_signing_key(std::shared_ptr<const codec::signing_key> key) = 0;
  // Stops taking writes, commits what was queued, and returns when all is durable.
  virtual void close() = 0;
};

// Creates or migrates the schema without starting a ledger (db init).
result<int> migrate_database(const std::filesystem::path& file);

// Walks the audit chain of a database file without starting a ledger (audit verify).
result<chain_report> verify_audit_chain(const std::filesystem::path& file);

}  // namespace coldtrace::storage
