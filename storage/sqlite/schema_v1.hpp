// Migration 1's SQL (schema_v1.cpp), in a file of its own for its length.
#pragma once

namespace coldtrace::storage::sql {

extern const char* const v1_ledger;

}  // namespace coldtrace::storage::sql
