// A lot's details at intake and the lot search (issue 11), over HTTP.
#include "tests/server/api_world.hpp"

#include <catch2/catch.hpp>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

json::object with_details(json::object body) {
  body["manufacturer"] = "舟山海洋渔业有限公司";
  body["production_date"] = "2024-01-15";
  body["batch_number"] = "ZS-0115";
  body["storage_temp_c"] = -18;
  body["animal_quarantine_certificate"] = "3301234567";
  return body;
}

std::vector<std::int64_t> lot_ids(const api_reply& r) {
  std::vector<std::int64_t> out;
  for (const auto& l : r.at("lots").as_array()) out.push_back(l.at("id").to_number<std::int64_t>());
  return out;
}

}  // namespace

TEST_CASE("a lot taken in with its details is found by them", "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  auto r = f.post("/api/v1/lots", with_details(intake_body()), x.wh.token);
  REQUIRE(r.status == 201);
  const auto& lot = r.at("lot").as_object();
  CHECK(lot.at("production_date") == "2024-01-15");
  CHECK(lot.at("storage_temp_c") == -18);
  CHECK(lot.at("animal_quarantine_certificate") == "3301234567");
  const auto id = lot.at("id").to_number<std::int64_t>();
  using v = std::vector<std::int64_t>;
  CHECK(lot_ids(f.get("/api/v1/lots?certificate=3301234567", x.inspector.token)) == v{id});
  CHECK(lot_ids(f.get("/api/v1/lots?batch_number=ZS-0115", x.wh.token)) == v{id});
  CHECK(lot_ids(f.get("/api/v1/lots?product=%E5%B8%A6%E9%B1%BC&batch_number=ZS-0115",
                      x.admin.token)) == v{id});  // 带鱼
  CHECK(lot_ids(f.get("/api/v1/lots?certificate=3301234567", x.wh2.token)).empty());
  const auto detail = f.get("/api/v1/lots/" + std::to_string(id), x.inspector.token);
  CHECK(detail.at("manufacturer") == "舟山海洋渔业有限公司");
}

TEST_CASE("a bad detail or a misspelt search is refused in words, and writes nothing",
          "[server][api]") {
  api_fixture f;
  const world x = make_world(f);
  const auto before = f.audit_events();
  auto body = with_details(intake_body());
  body["production_date"] = "2024-02-30";
  auto r = f.post("/api/v1/lots", body, x.wh.token);
  CHECK(r.status == 400);
  CHECK_THAT(r.body, Catch::Contains("生产日期"));
  body = with_details(intake_body());
  body["storage_temp_c"] = "-18";
  r = f.post("/api/v1/lots?lang=en", body, x.wh.token);
  CHECK(r.status == 400);
  CHECK_THAT(r.body, Catch::Contains("storage_temp_c"));
  body = with_details(intake_body());
  body["storage_temp_c"] = 45;
  CHECK(f.post("/api/v1/lots", body, x.wh.token).status == 400);
  CHECK(f.audit_events() == before);
  // A search that names a parameter wrongly must not list every lot instead.
  r = f.get("/api/v1/lots?customs=220120241000123456&lang=en", x.inspector.token);
  CHECK(r.status == 400);
  CHECK_THAT(r.body, Catch::Contains("customs"));
  CHECK(f.get("/api/v1/lots?from=2024-13-01", x.inspector.token).status == 400);
}
