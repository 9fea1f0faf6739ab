#include "codec/code.hpp"
#include "codec/qr.hpp"
#include "codec/url.hpp"

#include "tests/support.hpp"

using namespace coldtrace;
using namespace coldtrace::codec;

namespace {

struct fixture {
  signing_key key = signing_key::generate().value();
  key_set keys;
  payload p;
  bytes code;

  fixture() {
    keys.add(key.public_part());
    p.code_id = 4000000123;
    p.root_lot = 1000123;
    p.split_path = {1, 3};
    p.category = 1;
    p.quantity_g = 12345500;
    p.holder = 100234;
    p.origin = 152;
    p.issued_day = 20784;
    code = issue_code(p, key).value();
  }
};

}  // namespace

TEST_CASE("an issued code verifies and reads back its payload", "[codec]") {
  fixture f;
  auto v = verify_code(f.code, f.keys);
  REQUIRE(v);
  CHECK(*v == f.p);
  CHECK(*read_code(f.code) == f.p);
}

TEST_CASE("every single-byte change to a code stops it verifying", "[codec]") {
  fixture f;
  std::size_t forged = 0, malformed = 0, unknown_kid = 0;
  for (std::size_t i = 0; i < f.code.size(); ++i) {
    for (int delta = 1; delta < 256; ++delta) {
      bytes changed = f.code;
      changed[i] = static_cast<std::uint8_t>(changed[i] + delta);
      auto v = verify_code(changed, f.keys);
      REQUIRE_FALSE(v);
      if (v.error().code == make_error_code(errc::unknown_kid)) ++unknown_kid;
      switch (verdict_of(v.error())) {
        case verdict::forged: ++forged; break;
        case verdict::malformed: ++malformed; break;
        default: FAIL("unexpected verdict");
      }
    }
  }
  // Signature and payload bytes mostly make forgeries; header bytes make malformed codes.
  CHECK(forged > 0);
  CHECK(malformed > 0);
  CHECK(unknown_kid == 4 * 255);  // each kid byte changed: no key has that kid, so forged too
}

TEST_CASE("every truncation of a code is rejected", "[codec]") {
  fixture f;
  for (std::size_t n = 0; n < f.code.size(); ++n) {
    bytes cut(f.code.begin(), f.code.begin() + static_cast<std::ptrdiff_t>(n));
    auto v = verify_code(cut, f.keys);
    REQUIRE_FALSE(v);
    CHECK(verdict_of(v.error()) == verdict::malformed);
  }
}

// Online, such a code's bytes are not the ones issued: forged. Offline says the same.
TEST_CASE("a code signed by a key that is not published is forged", "[codec]") {
  fixture f;
  key_set other;
  other.add(signing_key::generate().value().public_part());
  auto v = verify_code(f.code, other);
  REQUIRE_FALSE(v);
  CHECK(v.error().code == make_error_code(errc::unknown_kid));
  CHECK(verdict_of(v.error()) == verdict::forged);
}

TEST_CASE("a typical code URL fits QR version 8 at ECC M", "[codec]") {
  fixture f;
  f.p.code_id = 0xffffffff;  // large ids and quantities: the worst realistic case
  f.p.root_lot = 0xffffffff;
  f.p.holder = 0xffffffff;
  f.p.quantity_g = 0xffffffff;
  f.p.split_path = {200, 200, 200, 200, 200};
  auto code = issue_code(f.p, f.key).value();
  auto url = make_code_url("trace.scjg.example.cn", code).value();  // a 21-character host
  auto qr = encode_qr(url);
  REQUIRE(qr);
  INFO(url.size() << "-character URL");
  CHECK(qr->version <= 8);
  auto back = parse_code_url(url);
  REQUIRE(back);
  CHECK(back->code == code);
}

TEST_CASE("a version 2 code, a 1,000th child three levels down, still fits QR version 8",
          "[codec]") {
  fixture f;
  f.p.code_id = 0xffffffff;
  f.p.root_lot = 0xffffffff;
  f.p.holder = 0xffffffff;
  f.p.quantity_g = 0xffffffff;
  f.p.split_path.clear();
  // Warehouse → a wholesaler (2nd consignment) → its 1,000th shop → the shop's 7th split: the
  // same four-byte ids as the version 1 worst case above.
  for (std::uint32_t ordinal : {2u, 1000u, 7u}) append_split_level(f.p.split_path, ordinal);
  REQUIRE(f.p.version() == 2);
  auto code = issue_code(f.p, f.key).value();
  auto url = make_code_url("trace.scjg.example.cn", code).value();
  auto qr = encode_qr(url);
  REQUIRE(qr);
  INFO(url.size() << "-character URL, QR version " << qr->version);
  CHECK(qr->version <= 8);
  auto back = verify_code(code, f.keys);
  REQUIRE(back);
  CHECK(*back == f.p);
}
