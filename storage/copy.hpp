// Moving a city's ledger from one database to another (coldtrace db copy, docs/deploy.md):
// from its SQLite file into PostgreSQL when it outgrows one machine, and back. Every table is
// copied row for row, the audit chain with its sequence numbers and hashes unchanged, so
// `coldtrace audit verify` finds the same head on both sides and the old checkpoints still
// hold. The source is read in one snapshot; the destination is written in one transaction and
// must be new or empty: a copy never merges two ledgers.
#pragma once

#include "storage/error.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coldtrace::storage {

// A table's rows: how many, and a fingerprint of their contents that does not depend on the
// database (SHA-256 of each row's typed values, summed): equal on both sides of a good copy.
struct table_summary {
  std::string name;
  std::int64_t rows = 0;
  std::array<std::uint64_t, 4> fingerprint{};
  bool operator==(const table_summary&) const = default;
};

struct copy_report {
  int version = 0;                    // the schema version of both databases
  std::vector<table_summary> tables;  // in the order they were copied
  std::int64_t head_seq = 0;          // the audit chain's head (0: no event yet)
  std::string head_hash;              // its hash in hex
};

// The tables db copy copies, in the order it copies them (what a row refers to first). Every
// table of the schema is here: a test holds this list equal to both schemas' tables.
std::span<const std::string_view> copied_tables();

// The tables of the database `db` (a SQLite file or a postgresql:// URI), sorted by name,
// without PostgreSQL's schema_version (SQLite keeps its version in a pragma).
result<std::vector<std::string>> schema_tables(const std::string& db);

// The copied tables of `db` with their row counts and fingerprints.
result<std::vector<table_summary>> summarize_tables(const std::string& db);

// Copies the ledger in `from` to `to` (each a SQLite file or a postgresql:// URI), creating or
// migrating the destination's schema first. Refuses (invalid_input, nothing written) a
// destination with any row in it, the same database on both sides, and a missing source. The
// copy is checked before it is committed: every table's count and fingerprint equal.
result<copy_report> copy_ledger(const std::string& from, const std::string& to);

}  // namespace coldtrace::storage
