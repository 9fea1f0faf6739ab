// GET /api/v1/epcis as an upper platform reads it: a lot's whole life (intake, sample, result,
// disinfection, release, dispatches, receipt, sale, recall) and a city's period as EPCIS 2.0
// JSON-LD, every document checked by an independent validator (the npm library epcis2.js,
// tests/tools/epcis_validate.mjs) that also refuses a broken one; bad parameters refused in
// plain words; a unit sees its own steps only.
#include "tests/server/api_world.hpp"

#include <array>
#include <cstdio>
#include <fstream>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

struct validation {
  int status = -1;
  std::string out;
};

// Runs the independent validator over the documents; exit status 0 when all are valid.
validation validate(const std::vector<std::string>& documents) {
  coldtrace::test::temp_dir dir;
  std::string command = "node " COLDTRACE_SOURCE_DIR "/tests/tools/epcis_validate.mjs";
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const auto file = dir.path / ("doc" + std::to_string(i) + ".jsonld");
    std::ofstream(file, std::ios::binary) << documents[i];
    command += " " + file.string();
  }
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  validation v;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) v.out.append(buf.data(), n);
  const int rc = ::pclose(p);
  v.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return v;
}

const json::array& events_of(const api_reply& r) {
  return r.at("epcisBody").at("eventList").as_array();
}

std::vector<std::string> steps_of(const api_reply& r) {
  std::vector<std::string> out;
  for (const auto& e : events_of(r)) {
    const auto& o = e.as_object();
    std::string s{o.at("type").as_string()};
    s += " " + std::string{o.at("bizStep").as_string()};
    if (const auto* d = o.if_contains("disposition")) s += " " + std::string{d->as_string()};
    out.push_back(std::move(s));
  }
  return out;
}

bool names(const json::value& list, const std::string& url) {
  for (const auto& v : list.as_array())
    if (v.as_string() == url) return true;
  return false;
}

}  // namespace

TEST_CASE(
    "a lot's whole life and a city's period as EPCIS 2.0, valid by an independent "
    "validator",
    "[server][api][epcis]") {
  api_fixture f;
  const world x = make_world(f);
  auto& l = f.ledger();
  const auto admin = storage::actor::local_admin();
  // The lot rel: sold at s, then recalled; the lot held: its sample positive (quarantined).
  const auto sold = l.get_code(admin, x.at_s).value();
  l.sale_check(f.as(x.op.who), {sold.signed_code, x.s, 200}).value();
  l.recall(f.as(x.inspector.who), {x.rel, "positive PCR at another market"}).value();
  l.record_result(f.as(x.wh.who),
                  {x.sample, storage::test_outcome::positive, "疾控", "R-9", f.as(x.wh.who).at})
      .value();

  auto lot = f.get("/api/v1/epcis?lot=" + std::to_string(x.rel), x.inspector.token);
  REQUIRE(lot.status == 200);
  const std::vector<std::string> want = {
      "ObjectEvent commissioning active",
      "ObjectEvent sampling",
      "ObjectEvent inspecting conformant",
      "ObjectEvent urn:coldtrace:epcis:bizstep:disinfecting",
      "ObjectEvent urn:coldtrace:epcis:bizstep:releasing sellable_accessible",
      // root → at_s, pending_s, pending_w2: in the same second as the receipt of at_s, so in
      // the lifecycle's order (steps carry seconds)
      "TransformationEvent commissioning active",
      "ObjectEvent shipping in_transit",
      "TransformationEvent commissioning active",
      "ObjectEvent shipping in_transit",
      "TransformationEvent commissioning active",
      "ObjectEvent shipping in_transit",
      "ObjectEvent receiving sellable_accessible",
      "ObjectEvent retail_selling retail_sold",
      "ObjectEvent holding recalled",
  };
  CHECK(steps_of(lot) == want);
  const auto& ev = events_of(lot);
  const auto root_url = f.url_of(l.get_code(admin, x.root).value());
  CHECK(names(ev.at(0).at("epcList"), root_url));
  CHECK(ev.at(0).at("ilmd").at("cbvmda:countryOfOrigin").is_string());
  CHECK(names(ev.at(5).at("inputEPCList"), root_url));
  CHECK(names(ev.at(5).at("outputEPCList"), x.url_at_s));
  CHECK(names(ev.at(11).at("epcList"), x.url_at_s));
  CHECK(names(ev.at(12).at("epcList"), x.url_at_s));
  CHECK(ev.at(12).at("coldtrace:quantityKg").as_double() == 0.2);
  CHECK(ev.at(13).at("epcList").as_array().size() == 4);  // the root and its three children
  CHECK(ev.at(6)
            .at("destinationList")
            .at(0)
            .at("destination")
            .as_string()
            .starts_with("urn:coldtrace:unit:"));

  auto quarantined = f.get("/api/v1/epcis?lot=" + std::to_string(x.held), x.admin.token);
  REQUIRE(quarantined.status == 200);
  CHECK(steps_of(quarantined).back() == "ObjectEvent holding non_sellable_other");

  auto city = f.get("/api/v1/epcis", x.admin.token);  // the last 30 days, every unit
  REQUIRE(city.status == 200);
  CHECK(events_of(city).size() > events_of(lot).size() + events_of(quarantined).size());
  auto shop = f.get("/api/v1/epcis?lot=" + std::to_string(x.rel), x.op.token);
  REQUIRE(shop.status == 200);  // the shop: the lot's own facts, its receipt and sale only
  CHECK(steps_of(shop) == std::vector<std::string>{want[0], want[1], want[2], want[3], want[4],
                                                   want[11], want[12], want[13]});

  const auto v = validate({lot.body, quarantined.body, city.body, shop.body});
  INFO(v.out);
  CHECK(v.status == 0);

  // The validator refuses a document that breaks the standard: it is not a rubber stamp.
  auto broken = lot.json;
  broken.at("epcisBody").at("eventList").at(1).as_object()["bizStep"] = "disinfecting";
  auto undeclared = lot.json;
  undeclared.at("epcisBody").at("eventList").at(1).as_object()["acme:x"] = 1;
  for (const auto& doc : {broken, undeclared}) {
    const auto bad = validate({json::serialize(doc)});
    INFO(bad.out);
    CHECK(bad.status == 1);
  }
}

TEST_CASE("EPCIS refuses bad parameters in plain words, and other units' lots",
          "[server][api][epcis]") {
  api_fixture f;
  const world x = make_world(f);
  const auto writes = f.audit_events();
  struct bad {
    std::string query, says;
  };
  const bad cases[] = {
      {"lot=0", "\"lot\" must be an integer from 1"},
      {"lot=x", "\"lot\" must be an integer"},
      {"lot=3&from=2026-01-01", "\"lot\" asks for the whole lot"},
      {"from=2026-02-01&to=2026-01-01", "\"from\" must not be later than \"to\""},
      {"form=2026-01-01", "unknown query parameter \"form\""},
  };
  for (const auto& b : cases) {
    auto r = f.get("/api/v1/epcis?" + b.query + "&lang=en", x.admin.token);
    INFO(b.query << " → " << r.body);
    CHECK(r.status == 400);
    CHECK(r.at("error").at("message").as_string().find(b.says) != std::string::npos);
  }
  auto zh = f.get("/api/v1/epcis?lot=3&to=2026-01-01", x.admin.token);
  CHECK(zh.at("error").at("message").as_string().find("导出整个批次") != std::string::npos);
  CHECK(f.get("/api/v1/epcis?lot=999999", x.admin.token).status == 404);
  CHECK(f.get("/api/v1/epcis?lot=" + std::to_string(x.rel2), x.op.token).status == 404);
  CHECK(f.get("/api/v1/epcis?unit=" + std::to_string(x.s2), x.op.token).status == 403);
  CHECK(f.get("/api/v1/epcis").status == 401);
  CHECK(f.audit_events() == writes);
}
