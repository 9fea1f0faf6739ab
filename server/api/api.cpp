#include "server/api/api.hpp"

#include "server/api/auth.hpp"
#include "server/api/routes.hpp"
#include "server/api/routes_sessions.hpp"
#include "server/error_map.hpp"
#include "storage/error.hpp"

#include <array>
#include <string_view>

namespace coldtrace::server {
namespace {

using storage::errc;

// Every storage error by the code clients see; the status comes from storage::classify, so a
// new error only needs its name here.
constexpr std::array<std::pair<errc, std::string_view>, 25> storage_codes{{
    {errc::invalid_input, "invalid_input"},
    {errc::documents_missing, "documents_missing"},
    {errc::key_reused, "idempotency_key_reused"},
    {errc::unauthenticated, "unauthenticated"},
    {errc::forbidden, "forbidden"},
    {errc::wrong_unit, "not_found"},  // another unit's record: as if it did not exist
    {errc::not_found, "not_found"},
    {errc::duplicate, "duplicate"},
    {errc::not_released, "not_released"},
    {errc::already_released, "already_released"},
    {errc::quarantined, "quarantined"},
    {errc::recalled, "recalled"},
    {errc::no_samples, "no_samples"},
    {errc::results_pending, "results_pending"},
    {errc::no_disinfection, "no_disinfection"},
    {errc::pending_receipt, "pending_receipt"},
    {errc::already_received, "already_received"},
    {errc::insufficient_quantity, "insufficient_quantity"},
    {errc::too_many_splits, "too_many_splits"},
    {errc::too_deep, "too_deep"},
    {errc::no_signing_key, "no_signing_key"},
    {errc::signing_failed, "signing_failed"},
    {errc::schema_too_new, "schema_too_new"},
    {errc::storage_failure, "storage_failure"},
    {errc::shutting_down, "shutting_down"},
}};

// The enum runs from 1 to shutting_down without gaps: a code added to it must be named here.
static_assert(storage_codes.size() == static_cast<std::size_t>(errc::shutting_down));

unsigned status_of(errc e) {
  switch (storage::classify(e)) {
    // A request that is well-formed but lacks what the rules need is 422; a malformed or
    // out-of-range field is 400, like the JSON checks.
    case storage::error_class::bad_request:
      return e == errc::documents_missing || e == errc::key_reused ? 422 : 400;
    case storage::error_class::unauthenticated: return 401;
    case storage::error_class::forbidden: return 403;
    case storage::error_class::not_found: return 404;
    case storage::error_class::conflict: return 409;
    case storage::error_class::unavailable: return 503;
  }
  return 500;
}

}  // namespace

void register_storage_errors() {
  std::array<error_mapping, storage_codes.size()> table{};
  for (std::size_t i = 0; i < storage_codes.size(); ++i) {
    const auto& [e, code] = storage_codes[i];
    table[i] = {static_cast<int>(e), status_of(e), code};
  }
  register_errors(storage::category(), table);
}

void install_api(router& routes, metrics_registry& metrics, const app& a) {
  register_storage_errors();
  auto e = std::make_shared<const api::env>(a, metrics);
  // The commit gauges are read from the ledger when /metrics is, not after every write: that
  // read takes the writer's lock.
  metrics.on_render([weak = std::weak_ptr<const api::env>(e)] {
    if (auto alive = weak.lock()) alive->observe_commits();
  });
  api::add_public_routes(routes, e, metrics);
  api::add_label_routes(routes, e, metrics);
  api::add_print_routes(routes, e);
  api::add_admin_routes(routes, e);
  api::add_session_routes(routes, e);
  api::add_lot_routes(routes, e);
  api::add_code_routes(routes, e);
  api::add_regulator_routes(routes, e);
  api::add_recall_routes(routes, e);
  api::add_finding_routes(routes, e);
  api::add_exchange_routes(routes, e);
  api::add_batch_routes(routes, e);
  api::add_import_routes(routes, e);
}

access_check admin_only(const app& a) {
  return [&a](const request& req, context& ctx) -> result<void> {
    auto by = api::authenticate(a.ledger, req, ctx);
    if (!by) return by.error();
    if (by->role != storage::account_role::admin)
      return storage::fail(storage::errc::forbidden, "only an admin may read the metrics");
    return {};
  };
}

}  // namespace coldtrace::server
