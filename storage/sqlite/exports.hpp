// The exports' queries over a reader connection, in one snapshot. Internal to storage/.
#pragma once

#include "storage/exports.hpp"
#include "storage/sqlite/db.hpp"

namespace coldtrace::storage::sql {

// The tables of `q.kinds`, in that order; the caller has applied the visibility rules.
std::vector<export_table> export_tables(connection& c, const export_query& q);

}  // namespace coldtrace::storage::sql
