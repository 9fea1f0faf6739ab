// The JSON API under /api/v1: every ledger operation, bearer authentication, the public
// verification, keys, block list and labels. See docs/openapi.yaml for each endpoint.
#pragma once

#include "server/app.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/system_handlers.hpp"

namespace coldtrace::server {

// The storage errors' statuses and codes (install_api registers them): for a tool that
// reports the ledger's errors as the API does (coldtrace import).
void register_storage_errors();
// Adds the API's routes (and the storage error table) before serving. The handlers keep
// references to `a`'s ledger and keys: they must outlive the router.
void install_api(router& routes, metrics_registry& metrics, const app& a);

// Lets through only a request bearing an admin's token (401 without a valid token, 403 for
// another role): serve_options::metrics_access for `coldtrace serve`.
access_check admin_only(const app& a);

}  // namespace coldtrace::server
