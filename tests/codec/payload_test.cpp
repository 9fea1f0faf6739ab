#include "codec/payload.hpp"
#include "codec/cbor.hpp"

#include "tests/support.hpp"

using namespace coldtrace;
using namespace coldtrace::codec;
using coldtrace::test::hex;

namespace {

payload sample() {
  payload p;
  p.code_id = 4000000123;
  p.root_lot = 1000123;
  p.split_path = {1, 3};
  p.category = 1;
  p.quantity_g = 12345500;
  p.holder = 100234;
  p.origin = 152;
  p.issued_day = 20784;
  return p;
}

// Writes the nine fields with one of them replaced by raw CBOR.
bytes with_field(std::size_t index, const bytes& raw, std::size_t count = 9) {
  const payload p = sample();
  cbor::writer w;
  w.array(count);
  bytes out = w.take();
  auto put = [&](std::size_t i, auto write) {
    if (i >= count) return;
    if (i == index) {
      out.insert(out.end(), raw.begin(), raw.end());
      return;
    }
    cbor::writer f;
    write(f);
    out.insert(out.end(), f.data().begin(), f.data().end());
  };
  put(0, [](auto& f) { f.uint(1); });
  put(1, [&](auto& f) { f.uint(p.code_id); });
  put(2, [&](auto& f) { f.uint(p.root_lot); });
  put(3, [&](auto& f) { f.bstr(p.split_path); });
  put(4, [&](auto& f) { f.uint(p.category); });
  put(5, [&](auto& f) { f.uint(p.quantity_g); });
  put(6, [&](auto& f) { f.uint(p.holder); });
  put(7, [&](auto& f) { f.uint(p.origin); });
  put(8, [&](auto& f) { f.uint(p.issued_day); });
  return out;
}

}  // namespace

TEST_CASE("payload v1 encodes as the documented CBOR array", "[codec]") {
  // docs/code-format.md, worked example, step 1.
  CHECK(to_hex(encode_payload(sample())) ==
        "89011aee6b287b1a000f42bb420103011a00bc609c1a00"
        "01878a1898195130");
}

TEST_CASE("payload v1 round-trips", "[codec]") {
  auto p = sample();
  SECTION("a root code") {
    p.split_path.clear();
  }
  SECTION("a deep split") {
    p.split_path = bytes(max_split_depth, 255);
  }
  SECTION("large numbers") {
    p.code_id = UINT64_MAX;
    p.quantity_g = 1;
  }
  auto back = decode_payload(encode_payload(p));
  REQUIRE(back);
  CHECK(*back == p);
}

TEST_CASE("payloads out of range or of another shape are rejected", "[codec]") {
  auto [index, raw, expected] = GENERATE(table<std::size_t, std::string, errc>({
      {0, "02", errc::unsupported_version},
      {1, "00", errc::bad_payload},                  // code id 0
      {2, "20", errc::bad_payload},                  // negative lot
      {3, "420100", errc::bad_payload},              // a zero split step
      {3, "01", errc::bad_payload},                  // split path not a byte string
      {4, "190100", errc::bad_payload},              // category 256
      {5, "00", errc::bad_payload},                  // quantity 0
      {7, "1903e8", errc::bad_payload},              // origin 1000
      {8, "1b0000000100000000", errc::bad_payload},  // issue day past 2^32
      {5, "1a00000001", errc::bad_payload},          // non-shortest integer (reported via field)
  }));
  auto r = decode_payload(with_field(index, hex(raw)));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(expected));
  CHECK_FALSE(r.error().message.empty());
}

TEST_CASE("payloads with the wrong shape are rejected", "[codec]") {
  SECTION("eight fields") {
    CHECK_FALSE(decode_payload(with_field(99, {}, 8)));
  }
  SECTION("trailing bytes") {
    auto b = encode_payload(sample());
    b.push_back(0);
    CHECK_FALSE(decode_payload(b));
  }
  SECTION("a split path deeper than the limit") {
    auto p = sample();
    p.split_path = bytes(max_split_depth + 1, 1);
    CHECK_FALSE(decode_payload(encode_payload(p)));
  }
  SECTION("not an array") {
    CHECK_FALSE(decode_payload(hex("a0")));
  }
  SECTION("empty") {
    CHECK_FALSE(decode_payload({}));
  }
}
