// Building the benchmark's databases: a small cast of units through the ledger, big trees of
// codes through the ledger, and a million filler codes written straight into SQLite.
#pragma once

#include "storage/sqlite_ledger.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace coldtrace::bench {

using storage::actor;

struct cast {
  actor warehouse, wholesaler, shop, admin;
};

// Units and accounts; exits with a message on failure (a benchmark has no one to return to).
cast make_cast(storage::ledger& l, storage::time_point at);

// Dispatches all of `requests` at once (they share commits) and waits for every one.
std::vector<storage::code_record> dispatch_all(storage::ledger& l, const actor& by,
                                               const std::vector<storage::dispatch_request>& r,
                                               storage::time_point at);
void receive_all(storage::ledger& l, const actor& by, const std::vector<storage::code_record>& c,
                 storage::time_point at);

// A released lot of `grams` at the cast's warehouse.
storage::intake_result released_lot(storage::ledger& l, const cast& c, std::int64_t grams,
                                    storage::time_point at);

// Adds `codes` filler codes (in lots of 100, realistic row sizes) directly with SQL, in one
// transaction: the ledger's own path signs every code, which would take minutes for a million.
void add_filler_codes(const std::filesystem::path& db, std::int64_t codes, storage::unit_id holder);

template <class T>
T must(result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "storage_bench: %s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

}  // namespace coldtrace::bench
