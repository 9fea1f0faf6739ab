// The audit replay: every event applied, in order, to an empty database built by the same
// migrations, then the state tables compared row by row with the database's own. A change
// made with SQL behind the ledger's back (a lot set to released, a result turned negative, a
// balance raised) leaves the chain intact but not the state, and is named here.
//
// Events written before the event data was complete (before coldtrace 0.x stored the signed
// code bytes, the token digests and the transfer and check ids) cannot prove those columns:
// the replay takes them as stored and counts them in `unproven`.
#pragma once

#include "storage/sqlite/db.hpp"

#include <cstdint>
#include <string>

namespace coldtrace::storage::sql {

struct state_report {
  std::int64_t rows = 0;      // rows compared
  std::int64_t unproven = 0;  // columns taken as stored (events too old to hold them)
  std::string problem;        // empty when the state is what the events produce
};

// `file` must be read in one snapshot (the caller's transaction) whose chain verified.
state_report verify_state(connection& file);

}  // namespace coldtrace::storage::sql
