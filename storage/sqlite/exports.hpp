// The exports' queries over a reader connection, in one snapshot. Internal to storage/.
#pragma once

#include "storage/exports.hpp"
#include "storage/sqlite/db.hpp"

// For queries taking ?1 the unit (NULL for all) and ?2 the lot (NULL for a period), with the
// lot as `l`. A lot's own facts (the lot, its tests and disinfections) are a unit's to export when
// it is the lot's warehouse, or, for one lot's export, when it holds a code of the lot (received:
// a consignee that has not scanned its code yet sees no more than trace shows it).
#define COLDTRACE_LOT_VISIBLE                                                                   \
  " (CAST(?1 AS BIGINT) IS NULL OR l.warehouse_id = ?1 OR (CAST(?2 AS BIGINT) IS NOT NULL AND " \
  "EXISTS (SELECT 1 FROM"                                                                       \
  " codes h WHERE h.lot_id = l.id AND h.holder_id = ?1 AND h.status = 'active')))"              \
  " AND (CAST(?2 AS BIGINT) IS NULL OR l.id = ?2)"
namespace coldtrace::storage::sql {

// The tables of `q.kinds`, in that order; the caller has applied the visibility rules.
std::vector<export_table> export_tables(connection& c, const export_query& q);

}  // namespace coldtrace::storage::sql
