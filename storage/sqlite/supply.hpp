// The lifecycle's steps over a reader connection, in one snapshot. Internal to storage/.
#pragma once

#include "storage/exports.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/supply.hpp"

namespace coldtrace::storage::sql {

// The steps `q` selects (its lot, or its period and unit; `q.kinds` is not read); the caller
// has applied the visibility rules.
supply_history supply_steps(connection& c, const export_query& q);

}  // namespace coldtrace::storage::sql
