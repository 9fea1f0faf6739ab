#include "codec/cose.hpp"
#include "codec/cbor.hpp"

#include "tests/support.hpp"

using namespace coldtrace;
using namespace coldtrace::codec;
using coldtrace::test::hex;

namespace {

const signing_key& test_key() {
  static const signing_key key =
      signing_key::from_seed(bytes(32, 7)).value();  // deterministic for these tests
  return key;
}

// A COSE_Sign1 built part by part, so each test can break one part.
struct parts {
  std::uint64_t tag = 18;
  std::size_t count = 4;
  bytes protected_header;
  bytes unprotected = {0xa0};
  bytes payload = {0x01, 0x02};
  bytes signature = bytes(64, 0);

  bytes build() const {
    cbor::writer w;
    w.tag(tag);
    w.array(count);
    w.bstr(protected_header);
    bytes out = w.take();
    out.insert(out.end(), unprotected.begin(), unprotected.end());
    cbor::writer rest;
    rest.bstr(payload);
    rest.bstr(signature);
    out.insert(out.end(), rest.data().begin(), rest.data().end());
    return out;
  }
};

parts valid_parts() {
  auto signed_bytes = cose_sign1_sign(bytes{0x01, 0x02}, test_key()).value();
  auto msg = cose_sign1_parse(signed_bytes).value();
  parts p;
  p.protected_header = msg.protected_header;
  p.signature.assign(msg.signature.begin(), msg.signature.end());
  return p;
}

}  // namespace

TEST_CASE("Sig_structure is the RFC 9052 section 4.4 array", "[codec]") {
  CHECK(to_hex(sig_structure(hex("a20127044401020304"), hex("0102"))) ==
        "846a5369676e617475726531"
        "49a20127044401020304"
        "40"
        "420102");
}

TEST_CASE("COSE_Sign1 signs, parses and verifies", "[codec]") {
  auto signed_bytes = cose_sign1_sign(hex("a0"), test_key());
  REQUIRE(signed_bytes);
  CHECK((*signed_bytes)[0] == 0xd2);  // tag 18
  auto msg = cose_sign1_parse(*signed_bytes);
  REQUIRE(msg);
  CHECK(msg->kid == test_key().kid());
  CHECK(to_hex(msg->protected_header) ==
        "a2012704"
        "44" +
            to_hex(test_key().kid()));
  CHECK(to_hex(msg->payload) == "a0");

  key_set keys;
  keys.add(test_key().public_part());
  CHECK(cose_sign1_verify(*msg, keys));

  SECTION("an unknown kid is reported as such") {
    key_set other;
    other.add(signing_key::generate().value().public_part());
    auto r = cose_sign1_verify(*msg, other);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::unknown_kid));
  }
  SECTION("a changed payload fails the signature") {
    msg->payload = hex("a1");
    auto r = cose_sign1_verify(*msg, keys);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::bad_signature));
  }
}

TEST_CASE("COSE_Sign1 parsing accepts only the form we issue", "[codec]") {
  REQUIRE(cose_sign1_parse(valid_parts().build()));
  auto p = valid_parts();
  std::string fragment;
  SECTION("another tag") {
    p.tag = 98;
    fragment = "not a COSE_Sign1";
  }
  SECTION("three parts") {
    p.count = 3;
    fragment = "4 parts";
  }
  SECTION("ES256 instead of EdDSA") {
    p.protected_header = hex("a2012604440102030a");
    fragment = "not signed with EdDSA";
  }
  SECTION("a protected header without kid") {
    p.protected_header = hex("a1012704");
    fragment = "2 entries";
  }
  SECTION("a 5-byte kid") {
    p.protected_header = hex("a201270445010203040a");
    fragment = "kid is not 4 bytes";
  }
  SECTION("a non-empty unprotected header") {
    p.unprotected = hex("a10401");
    fragment = "unprotected header must be empty";
  }
  SECTION("a short signature") {
    p.signature.resize(63);
    fragment = "not 64 bytes";
  }
  auto r = cose_sign1_parse(p.build());
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains(fragment));
}

TEST_CASE("COSE_Sign1 parsing rejects trailing and oversized input", "[codec]") {
  auto b = valid_parts().build();
  b.push_back(0);
  CHECK_FALSE(cose_sign1_parse(b));
  auto big = cose_sign1_parse(bytes(5000, 0xd2));
  REQUIRE_FALSE(big);
  CHECK(big.error().code == make_error_code(errc::too_large));
}
