#include "server/system_handlers.hpp"

#include "server/metrics.hpp"

namespace coldtrace::server {

response handle_healthz(const request&, context&) {
  return text_response(200, R"({"status":"ok"})", "application/json");
}

response handle_metrics(const request&, context& ctx) {
  return text_response(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
}

void add_system_routes(router& routes, bool metrics, access_check metrics_access,
                       drain_flag draining) {
  if (draining) {
    routes.add(verb::get, "/healthz",
               [draining = std::move(draining)](const request& req, context& ctx) {
                 if (!draining()) return handle_healthz(req, ctx);
                 return text_response(503, R"({"status":"draining"})", "application/json");
               });
  } else {
    routes.add(verb::get, "/healthz", handle_healthz);
  }
  if (!metrics) return;
  if (!metrics_access) {
    routes.add(verb::get, "/metrics", handle_metrics);
    return;
  }
  routes.add(
      verb::get, "/metrics",
      [access = std::move(metrics_access)](const request& req, context& ctx) -> result<response> {
        if (auto ok = access(req, ctx); !ok) return ok.error();
        return handle_metrics(req, ctx);
      });
}

}  // namespace coldtrace::server
