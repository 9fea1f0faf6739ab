// The inspection over HTTP (issue 10): an unregistered vendor, uncoded items with a photo and
// a deadline, the follow-up, the bureau's list, expected stock for inspectors, and bad input
// that answers 4xx and writes nothing.
#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

std::string png(std::size_t size = 80) {
  std::string b = "\x89PNG\r\n\x1a\n";
  b.resize(size, '\x01');
  return b;
}

// A rectification deadline a week from now (deadlines are within a year of the inspection).
std::string in_a_week() {
  return server::api::iso_time(server::api::now() + std::chrono::days{7});
}

json::value vendor_inspection() {
  return {{"vendor", {{"name", "路边冻品摊"}, {"address", "南京路 100 号门口"}}},
          {"note", "无证摊贩"},
          {"findings",
           {{{"product", "冻带鱼"},
             {"category", "domestic_frozen"},
             {"weight_g", 12000},
             {"action", "seize"},
             {"deadline", in_a_week()}}}}};
}

api_reply upload(api_fixture& f, std::int64_t finding, std::string body, std::string type,
                 const std::string& token, std::string_view lang = "en") {
  return f.call_with(
      "POST", "/api/v1/findings/" + std::to_string(finding) + "/photo?lang=" + std::string(lang),
      std::move(body), token, {{"Content-Type", std::move(type)}});
}

}  // namespace

TEST_CASE("an inspection at an unregistered vendor: an item, its photo, its follow-up",
          "[server][api][findings]") {
  api_fixture f;
  const world x = make_world(f);
  auto i = f.post("/api/v1/inspections", vendor_inspection(), x.inspector.token);
  INFO(i.body);
  REQUIRE(i.status == 201);
  CHECK(i.at("unit").is_null());
  CHECK(i.at("vendor").at("name") == "路边冻品摊");
  CHECK(i.at("uncoded_items") == 1);
  REQUIRE(i.at("findings").as_array().size() == 1);
  const auto finding = i.at("findings").at(0).at("id").to_number<std::int64_t>();
  CHECK(i.at("findings").at(0).at("status") == "open");
  CHECK(i.at("findings").at(0).at("photo").is_null());

  auto up = upload(f, finding, png(), "image/png", x.inspector.token);
  REQUIRE(up.status == 201);
  const std::string photo_url(up.at("photo").as_string());
  CHECK(photo_url == "/api/v1/findings/" + std::to_string(finding) + "/photo");
  auto got = f.get(photo_url, f.admin.token);
  CHECK(got.status == 200);
  CHECK(got.body == png());
  // Served to regulators only, and never kept by a cache.
  CHECK(f.get(photo_url, x.op.token).status == 403);
  CHECK(f.get(photo_url).status == 401);

  auto open = f.get("/api/v1/findings?state=open", f.admin.token);
  REQUIRE(open.status == 200);
  REQUIRE(open.at("findings").as_array().size() == 1);
  CHECK(open.at("findings").at(0).at("place") == "路边冻品摊");
  CHECK(open.at("findings").at(0).at("unit").is_null());

  auto closed = f.post("/api/v1/findings/" + std::to_string(finding) + "/follow-up",
                       {{"note", "复查：摊位已取缔"}}, x.inspector.token);
  REQUIRE(closed.status == 200);
  CHECK(closed.at("status") == "closed");
  CHECK(closed.at("follow_up").at("note") == "复查：摊位已取缔");
  CHECK(f.get("/api/v1/findings?state=open", f.admin.token).at("findings").as_array().empty());
  CHECK(
      f.get("/api/v1/findings?state=closed", x.inspector.token).at("findings").as_array().size() ==
      1);
  auto again = f.post("/api/v1/findings/" + std::to_string(finding) + "/follow-up", {{"note", "x"}},
                      x.inspector.token);
  CHECK(again.status == 409);
  // The inspection lists the finding with its photo and its follow-up.
  auto listed = f.get("/api/v1/inspections", x.inspector.token);
  CHECK(listed.at("inspections").at(0).at("findings").at(0).at("status") == "closed");
}

TEST_CASE("a photo is served as stored, privately", "[server][api][findings]") {
  api_fixture f;
  const world x = make_world(f);
  auto i = f.post("/api/v1/inspections", vendor_inspection(), x.inspector.token);
  const auto finding = i.at("findings").at(0).at("id").to_number<std::int64_t>();
  std::string jpeg = "\xff\xd8\xff\xe0";
  jpeg.resize(300, '\x02');
  REQUIRE(upload(f, finding, jpeg, "image/jpeg", x.inspector.token).status == 201);
  client c(f.port());
  auto r = c.request("GET", "/api/v1/findings/" + std::to_string(finding) + "/photo", "",
                     {{"Authorization", "Bearer " + x.inspector.token}});
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "image/jpeg");
  CHECK(r.header("Cache-Control") == "private, no-store");
  CHECK(r.body == jpeg);
}

TEST_CASE("bad photos and unknown findings answer 4xx and write nothing",
          "[server][api][findings]") {
  api_fixture f;
  const world x = make_world(f);
  auto i = f.post("/api/v1/inspections", vendor_inspection(), x.inspector.token);
  const auto finding = i.at("findings").at(0).at("id").to_number<std::int64_t>();
  auto other = f.add_account(f.bureau, storage::account_role::inspector);
  const auto events = f.audit_events();

  auto text = upload(f, finding, "hello, not a picture", "image/png", x.inspector.token);
  CHECK(text.status == 400);
  CHECK(text.body.find("not a JPEG or PNG") != std::string::npos);
  auto zh = upload(f, finding, "hello", "image/png", x.inspector.token, "zh");
  CHECK(zh.body.find("照片不是 JPEG 或 PNG 图片") != std::string::npos);
  auto big = upload(f, finding, png(storage::max_photo_bytes + 1), "image/png", x.inspector.token);
  CHECK(big.status == 413);
  auto declared = upload(f, finding, png(), "text/plain", x.inspector.token);
  CHECK(declared.status == 415);
  CHECK(declared.error_code() == "unsupported_media_type");
  auto mismatch = upload(f, finding, png(), "image/jpeg", x.inspector.token);
  CHECK(mismatch.status == 400);
  CHECK(upload(f, finding + 100, png(), "image/png", x.inspector.token).status == 404);
  CHECK(f.post("/api/v1/findings/" + std::to_string(finding + 100) + "/follow-up", {{"note", "x"}},
               x.inspector.token)
            .status == 404);
  CHECK(f.get("/api/v1/findings/" + std::to_string(finding) + "/photo", x.inspector.token).status ==
        404);
  // Another inspector did not record it.
  CHECK(upload(f, finding, png(), "image/png", other.token).status == 403);
  CHECK(f.get("/api/v1/findings?state=soon", f.admin.token).status == 400);

  auto both = vendor_inspection();
  both.as_object()["unit"] = x.s;
  CHECK(f.post("/api/v1/inspections?lang=en", both, x.inspector.token).status == 400);
  auto bad_action = vendor_inspection();
  bad_action.as_object()["findings"].as_array()[0].as_object()["action"] = "burn";
  CHECK(f.post("/api/v1/inspections", bad_action, x.inspector.token).status == 400);
  auto nowhere = json::value{{"codes", json::array{}}};
  CHECK(f.post("/api/v1/inspections", nowhere, x.inspector.token).status == 400);
  CHECK(f.audit_events() == events);
}

TEST_CASE("only inspectors record inspections; admins read them", "[server][api][findings]") {
  api_fixture f;
  const world x = make_world(f);
  // The pages show admins no inspection form (scan.js, verify.js): the API agrees.
  CHECK(f.post("/api/v1/inspections", vendor_inspection(), f.admin.token).status == 403);
  CHECK(f.post("/api/v1/inspections", {{"unit", x.s}, {"codes", json::array{}}}, f.admin.token)
            .status == 403);
  CHECK(f.get("/api/v1/findings", f.admin.token).status == 200);
}

TEST_CASE("an inspector sees a unit's expected stock", "[server][api][findings]") {
  api_fixture f;
  const world x = make_world(f);
  auto s = f.get("/api/v1/units/" + std::to_string(x.s) + "/stock", x.inspector.token);
  REQUIRE(s.status == 200);
  CHECK_FALSE(s.at("stock").as_array().empty());
  CHECK(f.get("/api/v1/units/999999/stock", x.inspector.token).status == 404);
}
