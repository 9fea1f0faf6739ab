// The routes every coldtrace server has, whatever API is plugged in.
#pragma once

#include "server/context.hpp"
#include "server/http.hpp"
#include "server/router.hpp"

namespace coldtrace::server {

// GET /healthz: 200 {"status":"ok"} while the process serves.
response handle_healthz(const request& req, context& ctx);

// GET /metrics: the registry in the Prometheus text format.
response handle_metrics(const request& req, context& ctx);

void add_system_routes(router& routes);

}  // namespace coldtrace::server
