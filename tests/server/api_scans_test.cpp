// Scans are counted by who scanned (storage::scan_kind): a shopper without a token, an
// inspector, a unit's counter; the platform's own accounts are not counted (issue 15).
#include "codec/day.hpp"
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;
using namespace std::chrono_literals;

namespace {

const storage::scan_figures& of(const storage::stats_report& s, storage::scan_kind k) {
  for (const auto& f : s.scans_by_kind)
    if (f.kind == k) return f;
  FAIL("no figures for " << to_string(k));
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the verify API counts scans by who scanned, and the distinct codes", "[server]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto target = "/api/v1/verify?code=" + x.url_at_s;
  const auto inspecting = target + "&unit=" + std::to_string(x.s);
  for (int i = 0; i < 3; ++i) REQUIRE(f.get(target).status == 200);  // a shopper, three times
  REQUIRE(f.get(inspecting, x.inspector.token).at("verdict").as_string() == "valid");
  REQUIRE(f.get(target, x.op.token).status == 200);     // the shop's own counter
  REQUIRE(f.get(target, x.wh.token).status == 200);     // the warehouse: the platform's own use
  REQUIRE(f.get(target, x.admin.token).status == 200);  // the bureau's admin: likewise
  REQUIRE(f.get("/api/v1/verify?code=1234", "").status == 200);  // malformed: a scan, no code
  // A token that names nobody is refused, not counted as a shopper's scan.
  const auto stranger = f.get(target, "not-a-token-of-anyone-at-all-000000000000000");
  CHECK(stranger.status == 401);
  f.add_unit(storage::unit_kind::seller);  // a commit carries the counts in
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto s = f.ledger().stats(f.admin.who, {now - 24h, now + 24h}).value();
  CHECK(of(s, storage::scan_kind::consumer).scans == 4);
  CHECK(of(s, storage::scan_kind::consumer).codes == 1);
  CHECK(of(s, storage::scan_kind::inspector).scans == 1);
  CHECK(of(s, storage::scan_kind::inspector).codes == 1);
  CHECK(of(s, storage::scan_kind::counter).scans == 1);
  CHECK(of(s, storage::scan_kind::counter).codes == 1);
  CHECK(s.verifications == 6);
  CHECK(s.codes_scanned == 1);
  // The API says the same.
  const auto day = [](storage::time_point t) {
    const auto d = std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
    return std::string{codec::format_day(static_cast<std::uint32_t>(d))};
  };
  const auto api =
      f.get("/api/v1/stats?from=" + day(now - 24h) + "&to=" + day(now + 24h), f.admin.token);
  REQUIRE(api.status == 200);
  CHECK(api.at("verifications").as_int64() == 6);
  CHECK(api.at("codes_scanned").as_int64() == 1);
  const auto& kinds = api.at("scans_by_kind").as_array();
  REQUIRE(kinds.size() == 3);
  CHECK(kinds[0].at("kind").as_string() == "consumer");
  CHECK(kinds[0].at("scans").as_int64() == 4);
  CHECK(kinds[1].at("kind").as_string() == "inspector");
  CHECK(kinds[2].at("kind").as_string() == "counter");
  CHECK(kinds[2].at("codes").as_int64() == 1);
}
