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
      {0, "03", errc::unsupported_version},
      {0, "00", errc::unsupported_version},
      {0, "02", errc::bad_payload},                  // version 2 for a path version 1 can say
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

TEST_CASE("split levels past 255 children: byte 0 and three bytes big-endian", "[codec]") {
  bytes path;
  for (std::uint32_t ordinal : {1u, 255u, 256u, 1000u, max_split_ordinal})
    append_split_level(path, ordinal);
  CHECK(to_hex(path) == "01ff00000100000003e800ffffff");
  auto levels = split_levels(path);
  REQUIRE(levels);
  CHECK(*levels == std::vector<std::uint32_t>{1, 255, 256, 1000, max_split_ordinal});

  SECTION("each level is one prefix-free unit, so byte order is the tree's depth-first order") {
    bytes child_1000 = {7};
    append_split_level(child_1000, 1000);
    bytes grandchild = child_1000;
    append_split_level(grandchild, 3);
    CHECK(std::equal(child_1000.begin(), child_1000.end(), grandchild.begin()));
    CHECK(child_1000 < grandchild);
  }
  SECTION("not canonical or cut off: refused") {
    auto [raw, why] = GENERATE(table<std::string, std::string>({
        {"0000ff", "ends in the middle"},
        {"00000001", "long-hand"},
        {"000000ff", "long-hand"},
        {"01000100", "ends in the middle"},
    }));
    auto r = split_levels(hex(raw));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find(why) != std::string::npos);
  }
  SECTION("at most max_split_depth levels, whatever their width") {
    bytes deep;
    for (std::size_t i = 0; i < max_split_depth; ++i) append_split_level(deep, 70000);
    CHECK(split_levels(deep));
    append_split_level(deep, 1);
    CHECK_FALSE(split_levels(deep));
  }
}

TEST_CASE("payload v2: written only when version 1 cannot say the code", "[codec]") {
  auto p = sample();
  CHECK(p.version() == 1);
  CHECK(encode_payload(p).at(1) == 0x01);
  append_split_level(p.split_path, 300);
  CHECK(p.version() == 2);
  // The 300th child of child 3 of child 1; docs/code-format.md §1 shows the same bytes for
  // 2,500 kg.
  CHECK(to_hex(encode_payload(p)) ==
        "89021aee6b287b1a000f42bb460103000001"
        "2c011a00bc609c1a0001878a1898195130");
  auto back = decode_payload(encode_payload(p));
  REQUIRE(back);
  CHECK(*back == p);

  SECTION("the documented version 2 example") {
    p.quantity_g = 2'500'000;
    CHECK(to_hex(encode_payload(p)) ==
          "89021aee6b287b1a000f42bb4601030000012c011a002625a01a0001878a1898195130");
  }
  SECTION("a version 1 payload may not carry an escaped level") {
    auto raw = encode_payload(p);
    raw.at(1) = 0x01;
    auto r = decode_payload(raw);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("zero step") != std::string::npos);
  }
}

TEST_CASE("payload v2, pre-printed label: [2, code_id, warehouse, issued_day]", "[codec]") {
  payload label;
  label.code_id = 70001;
  label.holder = 12;  // the warehouse it was printed for
  label.issued_day = 20784;
  REQUIRE(label.is_label());
  CHECK(to_hex(encode_payload(label)) == "84021a000111710c195130");
  auto back = decode_payload(encode_payload(label));
  REQUIRE(back);
  CHECK(*back == label);
  CHECK(back->is_label());

  SECTION("refused: a version 1 label, a label with no warehouse, trailing fields") {
    for (const char* raw :
         {"84011a000111710c195130", "84021a0001117100195130", "85021a000111710c19513001"}) {
      INFO(raw);
      CHECK_FALSE(decode_payload(hex(raw)));
    }
  }
}
