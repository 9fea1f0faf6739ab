// The signed block list over the network: what it covers, that no cache can serve it stale
// after a recall (no-cache, an ETag over its entries, 304 when unchanged), and that offline
// verification (codec/offline.*, what `coldtrace code verify` runs) agrees with the online answer.
#include "codec/bytes.hpp"
#include "codec/code.hpp"
#include "codec/digits.hpp"
#include "codec/keys.hpp"
#include "codec/offline.hpp"
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

// The signed payload of a /api/v1/blocked reply, its signature checked with the fixture's key.
json::object payload_of(api_fixture& f, const std::string& body) {
  auto signed_list = json::parse(body).as_object();
  bytes payload, signature;
  REQUIRE(base64url_decode(signed_list.at("payload").as_string(), payload));
  REQUIRE(base64url_decode(signed_list.at("signature").as_string(), signature));
  const auto& key = f.keys().keys().front();
  REQUIRE(codec::verify_signature(key, payload, signature));
  return json::parse(std::string(payload.begin(), payload.end())).as_object();
}

bool lists(const json::object& payload, storage::lot_id lot, std::string_view status) {
  for (const auto& e : payload.at("entries").as_array())
    if (e.as_object().at("lot").as_int64() == lot &&
        e.as_object().at("status").as_string() == status)
      return true;
  return false;
}

storage::intake_result take_in(api_fixture& f, const caller& c) {
  storage::intake_request r{"冻带鱼", "domestic_frozen", "CN", 100'000, 10, "舟山水产", "",
                            "",       "浙L·12345"};
  return f.ledger().intake(f.as(c.who), r).value();
}

}  // namespace

TEST_CASE("the block list says when it was made and the highest lot and code it covers",
          "[server][api]") {
  api_fixture f;
  auto x = make_world(f);
  auto newest = take_in(f, x.wh);  // the highest lot and code ids so far; held
  client c(f.port());
  auto r = c.request("GET", "/api/v1/blocked");
  REQUIRE(r.status == 200);
  auto p = payload_of(f, r.body);
  CHECK(p.at("last_lot").as_int64() == newest.lot.id);
  CHECK(p.at("last_code").as_int64() == newest.code.id);
  CHECK(p.at("issued_at").as_string().size() == 20);  // 2026-01-01T00:00:00Z
  CHECK(lists(p, newest.lot.id, "held"));
  CHECK(lists(p, x.held, "held"));
  CHECK_FALSE(lists(p, x.rel, "held"));
}

TEST_CASE("the block list is revalidated every time and a recall changes it at once",
          "[server][api]") {
  api_fixture f;
  auto x = make_world(f);
  client c(f.port());
  auto first = c.request("GET", "/api/v1/blocked");
  REQUIRE(first.status == 200);
  CHECK(first.header("Cache-Control") == "no-cache");
  const auto etag = first.header("ETag");
  REQUIRE(etag);
  CHECK(etag->size() > 2);

  // Unchanged: 304 with no body, whatever the time (the ETag is not over the issue time).
  auto same = c.request("GET", "/api/v1/blocked", {}, {{"If-None-Match", *etag}});
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  CHECK(same.header("ETag") == etag);
  CHECK(same.header("Cache-Control") == "no-cache");
  auto other = c.request("GET", "/api/v1/blocked", {}, {{"If-None-Match", "\"0000\""}});
  CHECK(other.status == 200);

  // A recall: the very next request with the old ETag gets the new list.
  f.ledger().recall(f.as(x.admin.who), {x.rel, "下游抽检阳性"}).value();
  auto after = c.request("GET", "/api/v1/blocked", {}, {{"If-None-Match", *etag}});
  REQUIRE(after.status == 200);
  CHECK(after.header("ETag") != etag);
  CHECK(after.header("Cache-Control") == "no-cache");
  CHECK(lists(payload_of(f, after.body), x.rel, "recalled"));
  CHECK_FALSE(lists(payload_of(f, first.body), x.rel, "recalled"));

  // A lot taken in changes what the list covers, so the ETag too.
  auto before_intake = after.header("ETag");
  take_in(f, x.wh);
  auto covered = c.request("GET", "/api/v1/blocked", {}, {{"If-None-Match", *before_intake}});
  CHECK(covered.status == 200);
}

TEST_CASE("offline, the served list covers what existed and nothing newer", "[server][api]") {
  api_fixture f;
  auto x = make_world(f);
  client c(f.port());
  const auto served = c.request("GET", "/api/v1/blocked");
  REQUIRE(served.status == 200);
  auto list = codec::read_block_list(served.body, f.keys());
  REQUIRE(list);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto offline = [&](storage::code_id id) {
    auto code = f.ledger().get_code(storage::actor::local_admin(), id).value();
    return codec::check_offline(codec::verify_code(code.signed_code, f.keys()).value(), &*list,
                                now);
  };
  CHECK(offline(x.at_s).verdict == coldtrace::verdict::valid);
  CHECK(offline(x.root).verdict == coldtrace::verdict::valid);
  // A lot taken in after the list: never released, and not valid offline either.
  auto late = take_in(f, x.wh);
  auto a = offline(late.code.id);
  CHECK(a.verdict == coldtrace::verdict::unknown);
  CHECK(a.why == codec::unconfirmed::beyond_list);
  CHECK(a.confirmed_at == list->issued_at);
}

TEST_CASE("a forgery gets the same verdict online and offline", "[server][api]") {
  api_fixture f;
  auto x = make_world(f);
  const auto genuine = f.ledger().get_code(storage::actor::local_admin(), x.at_s).value();
  const auto p = codec::read_code(genuine.signed_code).value();
  auto other_key = codec::signing_key::generate().value();
  bytes tampered = genuine.signed_code;
  tampered.back() ^= 1;  // the signature's last byte
  // The same payload signed with a key the platform never published, and an altered signature.
  for (const auto& forged : {codec::issue_code(p, other_key).value(), tampered}) {
    auto online = f.get("/api/v1/verify?code=" + codec::to_digits(forged));
    REQUIRE(online.status == 200);
    auto offline = codec::verify_code(forged, f.keys());
    REQUIRE_FALSE(offline);
    CHECK(online.at("verdict").as_string() == "forged");
    CHECK(to_string(codec::verdict_of(offline.error())) == "forged");
  }
}

TEST_CASE("a forgery of a code id the ledger lacks is forged online too", "[server][api]") {
  api_fixture f;
  auto x = make_world(f);
  auto p = codec::read_code(
               f.ledger().get_code(storage::actor::local_admin(), x.at_s).value().signed_code)
               .value();
  p.code_id = 9'999'999;  // well formed, never issued
  auto other_key = codec::signing_key::generate().value();
  const auto forged = codec::issue_code(p, other_key).value();
  REQUIRE(codec::verdict_of(codec::verify_code(forged, f.keys()).error()) ==
          coldtrace::verdict::forged);
  CHECK(f.get("/api/v1/verify?code=" + codec::to_digits(forged)).at("verdict").as_string() ==
        "forged");

  // Signed by the platform's own key but unknown to this ledger (e.g. a lost database): unknown,
  // as the signature is genuine.
  const auto ours = codec::issue_code(p, f.key()).value();
  CHECK(f.get("/api/v1/verify?code=" + codec::to_digits(ours)).at("verdict").as_string() ==
        "unknown");
}
