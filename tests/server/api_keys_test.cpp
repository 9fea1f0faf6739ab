// Key rotation without a restart: the ring reloads the key directory (what SIGHUP does in
// `coldtrace serve`), and the JWKS and the signing key change together.
#include "codec/code.hpp"
#include "codec/cose.hpp"
#include "tests/server/api_fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;
using storage::account_role;
using storage::unit_kind;

namespace {

// What `coldtrace keygen --rotate` does to the directory; `publish` false leaves jwks.json
// without the new key, a mistake the reload must refuse.
codec::signing_key rotate(const std::filesystem::path& dir, bool publish = true) {
  auto key = codec::signing_key::generate().value();
  if (publish) {
    auto published = codec::key_set::load(dir / "jwks.json").value();
    published.add(key.public_part());
    published.save(dir / "jwks.json").value();
  }
  std::filesystem::remove(dir / "signing-key.pem");
  key.save_pem(dir / "signing-key.pem").value();
  return key;
}

storage::code_record new_code(api_fixture& f, const caller& staff) {
  storage::intake_request r{"冻猪肉", "domestic_frozen", "CN", 1000, 10, "某屠宰场", "",
                            "",       "沪B·12345"};
  return f.ledger().intake(f.as(staff.who), r).value().code;
}

codec::kid_t kid_of(const storage::code_record& c) {
  return codec::cose_sign1_parse(c.signed_code).value().kid;
}

codec::key_set served_jwks(api_fixture& f) {
  auto r = f.get("/.well-known/jwks.json");
  REQUIRE(r.status == 200);
  return codec::key_set::from_jwks(r.body).value();
}

}  // namespace

TEST_CASE("a reload after keygen --rotate signs with the new key and publishes it",
          "[server][api]") {
  api_fixture f;
  const auto staff = f.add_account(f.add_unit(unit_kind::warehouse), account_role::warehouse);
  const auto before = new_code(f, staff);
  REQUIRE(kid_of(before) == f.key().kid());

  SECTION("published and signing change together") {
    const auto next = rotate(f.key_dir());
    REQUIRE(f.ring().reload());
    const auto after = new_code(f, staff);
    CHECK(kid_of(after) == next.kid());
    const auto jwks = served_jwks(f);
    CHECK(jwks.keys().size() == 2);
    CHECK(codec::verify_code(after.signed_code, jwks));
    CHECK(codec::verify_code(before.signed_code, jwks));  // old codes still verify
    CHECK(f.ring().current()->signing->kid() == next.kid());
  }
  SECTION("a signing key missing from jwks.json is refused; the old pair stays") {
    rotate(f.key_dir(), false);
    auto refused = f.ring().reload();
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains("not in the published key set"));
    CHECK(kid_of(new_code(f, staff)) == f.key().kid());
    CHECK(served_jwks(f).keys().size() == 1);
  }
}

TEST_CASE("/metrics needs an admin's token", "[server][api]") {
  api_fixture f;
  const auto op = f.add_account(f.add_unit(unit_kind::seller), account_role::unit_operator);
  CHECK(f.get("/metrics").status == 401);
  CHECK(f.get("/metrics", "not-a-token").status == 401);
  CHECK(f.get("/metrics", op.token).status == 403);
  auto r = f.get("/metrics", f.admin.token);
  CHECK(r.status == 200);
  CHECK_THAT(r.body, Catch::Contains("coldtrace_http_requests_total"));
}
