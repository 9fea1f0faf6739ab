// The holder's list of codes carries each code's lot state, so a console offers for dispatch
// only codes that can be dispatched and shows a held lot's code as such (issue 15 §4).
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

std::string lot_status_of(const api_reply& list, storage::code_id id) {
  for (const auto& c : list.at("codes").as_array())
    if (c.at("id").to_number<std::int64_t>() == id)
      return std::string(c.at("lot_status").as_string());
  return "(not listed)";
}

}  // namespace

TEST_CASE("the list of codes says whether each code's lot is released", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto fresh = f.post("/api/v1/lots", intake_body(), x.wh.token);
  REQUIRE(fresh.status == 201);
  const auto held_root = fresh.at("code").at("id").to_number<std::int64_t>();
  const auto codes = f.get("/api/v1/codes?limit=1000", x.wh.token);
  CHECK(lot_status_of(codes, held_root) == "held");
  CHECK(lot_status_of(codes, x.root) == "released");
  SECTION("a recall overrides the lot's own state") {
    const auto recall = f.post("/api/v1/recalls", json::object{{"lot", x.rel}, {"reason", "阳性"}},
                               x.inspector.token);
    REQUIRE(recall.status / 100 == 2);
    CHECK(lot_status_of(f.get("/api/v1/codes?limit=1000", x.wh.token), x.root) == "recalled");
  }
}
