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

// Who may read /metrics: an error (401, 403) refuses the request. Empty: everyone.
using access_check = std::function<result<void>(const request&, context&)>;

// Whether the server is draining: /healthz then answers 503 {"status":"draining"}, so that a
// load balancer sends its next requests elsewhere.
using drain_flag = std::function<bool()>;

// /healthz, and /metrics unless `metrics` is false (it is served elsewhere).
void add_system_routes(router& routes, bool metrics = true, access_check metrics_access = {},
                       drain_flag draining = {});

}  // namespace coldtrace::server
