#include "codec/cbor.hpp"

#include "tests/support.hpp"

using namespace coldtrace;
using namespace coldtrace::codec;
using coldtrace::test::hex;

TEST_CASE("CBOR writer produces the deterministic encodings of RFC 8949 Appendix A", "[codec]") {
  auto [value, expected] = GENERATE(table<std::int64_t, std::string>({
      {0, "00"},
      {23, "17"},
      {24, "1818"},
      {100, "1864"},
      {1000, "1903e8"},
      {1000000, "1a000f4240"},
      {1000000000000, "1b000000e8d4a51000"},
      {-1, "20"},
      {-10, "29"},
      {-100, "3863"},
      {-1000, "3903e7"},
  }));
  cbor::writer w;
  w.integer(value);
  CHECK(to_hex(w.data()) == expected);
  cbor::reader r(w.data());
  auto back = r.integer();
  REQUIRE(back);
  CHECK(*back == value);
  CHECK(r.at_end());
}

TEST_CASE("CBOR writer encodes strings, arrays, maps and tags", "[codec]") {
  cbor::writer w;
  w.tag(18);
  w.array(3);
  w.bstr(hex("01020304"));
  w.tstr("a");
  w.map(0);
  CHECK(to_hex(w.data()) ==
        "d283440102030461"
        "61a0");

  cbor::reader r(w.data());
  CHECK(*r.tag() == 18);
  CHECK(*r.array() == 3);
  CHECK(to_hex(*r.bstr()) == "01020304");
  CHECK(*r.tstr() == "a");
  CHECK(*r.map() == 0);
  CHECK(r.expect_end());
}

TEST_CASE("CBOR reader rejects every non-canonical or malformed head", "[codec]") {
  auto [input, expected] = GENERATE(table<std::string, errc>({
      {"1817", errc::not_canonical},        // 23 in a one-byte head
      {"190017", errc::not_canonical},      // 23 in a two-byte head
      {"1900ff", errc::not_canonical},      // 255 in a two-byte head
      {"1a0000ffff", errc::not_canonical},  // 65535 in a four-byte head
      {"1b00000000ffffffff", errc::not_canonical},
      {"1f", errc::not_canonical},  // indefinite length
      {"1c", errc::bad_cbor},       // reserved
      {"19", errc::bad_cbor},       // truncated head
      {"1900", errc::bad_cbor},
      {"", errc::bad_cbor},    // nothing at all
      {"20", errc::bad_cbor},  // a negative integer where unsigned is expected
      {"40", errc::bad_cbor},  // a byte string where unsigned is expected
  }));
  const bytes in = hex(input);
  cbor::reader r(in);
  auto v = r.uint();
  REQUIRE_FALSE(v);
  CHECK(v.error().code == make_error_code(expected));
  CHECK_FALSE(v.error().message.empty());
}

TEST_CASE("CBOR reader bounds strings by the input", "[codec]") {
  SECTION("a declared length past the end") {
    const bytes in = hex("450102");
    cbor::reader r(in);
    auto b = r.bstr();
    REQUIRE_FALSE(b);
    CHECK(b.error().code == make_error_code(errc::bad_cbor));
  }
  SECTION("a huge declared length does not allocate or read") {
    const bytes in = hex("5bffffffffffffffff00");
    cbor::reader r(in);
    CHECK_FALSE(r.bstr());
  }
  SECTION("indefinite-length strings are refused") {
    const bytes in = hex("5f4101ff");
    cbor::reader r(in);
    auto b = r.bstr();
    REQUIRE_FALSE(b);
    CHECK(b.error().code == make_error_code(errc::not_canonical));
  }
  SECTION("trailing bytes are reported") {
    const bytes in = hex("0000");
    cbor::reader r(in);
    REQUIRE(r.uint());
    CHECK_FALSE(r.expect_end());
  }
}
