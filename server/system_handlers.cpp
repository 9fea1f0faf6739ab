#include "server/system_handlers.hpp"

#include "server/metrics.hpp"

namespace coldtrace::server {

response handle_healthz(const request&, context&) {
  return text_response(200, R"({"status":"ok"})", "application/json");
}

response handle_metrics(const request&, context& ctx) {
  return text_response(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
}

void add_system_routes(router& routes) {
  routes.add(verb::get, "/healthz", handle_healthz);
  routes.add(verb::get, "/metrics", handle_metrics);
}

}  // namespace coldtrace::server
