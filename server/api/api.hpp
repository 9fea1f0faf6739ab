// The JSON API under /api/v1: every ledger operation, bearer authentication, the public
// verification, keys, block list and labels. See docs/openapi.yaml for each endpoint.
#pragma once

#include "server/app.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"

namespace coldtrace::server {

// Adds the API's routes (and the storage error table) before serving. The handlers keep
// references to `a`'s ledger and keys: they must outlive the router.
void install_api(router& routes, metrics_registry& metrics, const app& a);

}  // namespace coldtrace::server
