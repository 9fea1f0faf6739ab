// The API's routes by who calls them; install_api (api.cpp) adds them all. Internal.
#pragma once

#include "server/api/env.hpp"
#include "server/router.hpp"

namespace coldtrace::server::api {

// Runs on the blocking pool: the handler waits for its group commit (or a long read).
inline constexpr route_options blocking{.blocking = true};

void add_public_routes(router& r, const env_ptr& e, metrics_registry& m);  // verify, keys, …
// Labels, for the units that may print them; `m` gets the render cache's counters.
void add_label_routes(router& r, const env_ptr& e, metrics_registry& m);
void add_print_routes(router& r, const env_ptr& e);
void add_admin_routes(router& r, const env_ptr& e);      // me, units, accounts
void add_lot_routes(router& r, const env_ptr& e);        // the warehouse
void add_code_routes(router& r, const env_ptr& e);       // holders: codes, dispatch, sales
void add_regulator_routes(router& r, const env_ptr& e);  // recalls, trace, inspections, stats
void add_recall_routes(router& r, const env_ptr& e);     // proposals, holders' answers
void add_finding_routes(router& r, const env_ptr& e);    // inspection findings, photos
void add_exchange_routes(router& r, const env_ptr& e);   // the change feed, exports
void add_batch_routes(router& r, const env_ptr& e);      // a unit's batches of operations
void add_import_routes(router& r, const env_ptr& e);     // spreadsheets of them, templates

}  // namespace coldtrace::server::api
