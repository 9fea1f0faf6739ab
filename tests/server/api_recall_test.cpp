// Recalls over HTTP (issue 10): from a positive result to the bureau's confirmation and every
// holder's answer; bad input gets a clear 4xx and writes nothing.
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

std::string message_of(const api_reply& r) {
  return std::string(r.json.as_object().at("error").as_object().at("message").as_string());
}

}  // namespace

TEST_CASE("api: a positive result's proposal, confirmed, reaches every holder",
          "[server][api][recall]") {
  api_fixture f;
  world x = make_world(f);
  const auto ctx = f.as(x.wh.who);
  // A positive result on the released lot that reached s (1 kg received, 1 kg on its way).
  auto s = f.ledger()
               .add_sample(ctx, {x.rel, storage::sample_type::environment, ctx.at, "张伟"})
               .value();
  f.ledger()
      .record_result(ctx, {s.id, storage::test_outcome::positive, "疾控", "R-2", ctx.at})
      .value();
  auto proposals = f.get("/api/v1/recall-proposals?open=true", x.inspector.token);
  REQUIRE(proposals.status == 200);
  const auto& list = proposals.at("proposals").as_array();
  REQUIRE(list.size() == 1);
  const auto proposal = list[0].at("id").to_number<std::int64_t>();
  CHECK(list[0].at("holders").as_array().size() == 3);  // w, s, and w2 (in transit)

  auto confirmed = f.post("/api/v1/recalls", {{"proposal", proposal}, {"reason", "环境样本阳性"}},
                          x.inspector.token);
  REQUIRE(confirmed.status == 201);
  const auto recall = confirmed.at("recall").at("id").to_number<std::int64_t>();
  const auto path = "/api/v1/recalls/" + std::to_string(recall);

  // The shop sees it, with its quantities and codes, then says what it did.
  auto open = f.get("/api/v1/recalls?open=true", x.op.token);
  REQUIRE(open.status == 200);
  REQUIRE(open.at("recalls").as_array().size() == 1);
  const auto& mine = open.at("recalls").as_array()[0].at("holders").as_array();
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].at("held_g").to_number<std::int64_t>() == 1'000);
  CHECK(mine[0].at("in_transit_g").to_number<std::int64_t>() == 1'000);
  CHECK(mine[0].at("status").as_string() == "notified");
  CHECK(open.at("recalls").as_array()[0].at("sales").as_array().empty());

  auto seen = f.call("POST", path + "/seen", "", x.op.token);
  REQUIRE(seen.status == 200);
  CHECK(seen.at("holders").as_array()[0].at("status").as_string() == "seen");

  const auto before = f.audit_events();
  auto unbalanced = f.post(path + "/response", {{"sealed_g", 1'500}}, x.op.token);
  CHECK(unbalanced.status == 400);
  CHECK(message_of(unbalanced).find("2000 克") != std::string::npos);
  auto in_english = f.post(path + "/response?lang=en", {{"sealed_g", 1'500}}, x.op.token);
  CHECK(message_of(in_english).find("held 2000 g") != std::string::npos);
  CHECK(f.post(path + "/response", {{"sealed_g", "many"}}, x.op.token).status == 400);
  CHECK(f.post(path + "/response", {{"sealed_g", 2'000}, {"kept_g", 1}}, x.op.token).status == 400);
  CHECK(f.post(path + "/response", {{"sealed_g", 3'000}, {"destroyed_g", -1'000}}, x.op.token)
            .status == 400);
  auto other = f.post(path + "/response", {{"sealed_g", 2'000}}, x.op2.token);
  CHECK(other.status == 404);
  CHECK(message_of(other).find("召回") != std::string::npos);
  CHECK(f.call("POST", path + "/seen", "", x.op2.token).status == 404);
  CHECK(f.post("/api/v1/recall-proposals/" + std::to_string(proposal) + "/dismiss",
               {{"reason", "x"}}, x.admin.token)
            .status == 409);
  CHECK(f.post("/api/v1/recalls", {{"reason", "no lot"}}, x.admin.token).status == 400);
  CHECK(f.get(path + "/export?format=pdf", x.admin.token).status == 400);
  CHECK(f.audit_events() == before);

  auto acted = f.post(path + "/response",
                      {{"sealed_g", 1'000}, {"returned_g", 1'000}, {"note", "在途货物拒收退回"}},
                      x.op.token);
  REQUIRE(acted.status == 200);
  CHECK(acted.at("holders").as_array()[0].at("status").as_string() == "acted");
  CHECK(f.get("/api/v1/recalls?open=true", x.op.token).at("recalls").as_array().empty());

  // The bureau's view and its CSV, headers in Chinese by default and English with lang=en.
  auto bureau = f.get(path, x.admin.token);
  REQUIRE(bureau.status == 200);
  CHECK(bureau.at("holders").as_array().size() == 3);
  auto csv = f.get(path + "/export", x.admin.token);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.find("持有单位") != std::string::npos);
  CHECK(csv.body.find("已处置") != std::string::npos);
  auto csv_en = f.get(path + "/export?lang=en", x.admin.token);
  CHECK(csv_en.body.find("Holder") != std::string::npos);
  CHECK(csv_en.body.find("Destroyed (kg)") != std::string::npos);
}
