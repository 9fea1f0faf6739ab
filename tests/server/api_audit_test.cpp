// The latest signed checkpoint of the audit chain, public over a real socket: what a
// provincial platform or an auditor fetches and keeps (docs/audit.md).
#include "storage/checkpoints.hpp"
#include "tests/server/api_fixture.hpp"

#include <thread>

using namespace coldtrace;
using namespace coldtrace::server::test;
using storage::unit_kind;

TEST_CASE("GET /api/v1/audit/checkpoint serves the latest checkpoint, no token", "[server][api]") {
  api_fixture f;
  f.add_unit(unit_kind::warehouse);
  auto none = f.get("/api/v1/audit/checkpoint");
  CHECK(none.status == 404);
  CHECK(none.error_code() == "not_found");

  // Signed beside the running server, as `coldtrace audit checkpoint` would.
  const auto signed_cp =
      storage::sign_checkpoint(f.db_file(), f.key(),
                               storage::time_point{std::chrono::seconds{1'717'200'000}})
          .value();
  // A commit by another connection is seen within sqlite_options::snapshot_reuse (10 ms).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto r = f.get("/api/v1/audit/checkpoint");
  REQUIRE(r.status == 200);
  CHECK(r.at("seq").to_number<std::int64_t>() == f.audit_events());
  const auto kept = storage::checkpoints_from_json(r.body).value();
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].hash == signed_cp.hash);
  // The keeper checks it with the published keys, as served by the same server.
  const auto jwks = codec::key_set::from_jwks(f.get("/.well-known/jwks.json").body).value();
  CHECK(storage::check_checkpoint(f.db_file(), kept[0], jwks).value().empty());
}
