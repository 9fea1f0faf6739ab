#include "codec/digits.hpp"

#include "tests/support.hpp"

#include <random>

using namespace coldtrace;
using namespace coldtrace::codec;
using coldtrace::test::hex;

TEST_CASE("digit width is the number of digits of 256^n - 1", "[codec]") {
  auto [n, width] = GENERATE(table<std::size_t, std::size_t>({
      {1, 3},      // 255
      {2, 5},      // 65535
      {3, 8},      // 16777215
      {4, 10},     // 4294967295
      {8, 20},     // 18446744073709551615
      {16, 39},    // 2^128 - 1
      {32, 78},    // 2^256 - 1
      {117, 282},  // about the size of a code
  }));
  CHECK(digit_width(n) == width);
}

TEST_CASE("bytes are written as fixed-width big-endian decimal", "[codec]") {
  auto [h, digits] = GENERATE(table<std::string, std::string>({
      {"00", "000"},
      {"ff", "255"},
      {"0001", "00001"},
      {"0100", "00256"},
      {"ffff", "65535"},
      {"000000", "00000000"},
      {"ffffffffffffffff", "18446744073709551615"},
  }));
  bytes b;
  REQUIRE(from_hex(h, b));
  CHECK(to_digits(b) == digits);
  auto back = from_digits(digits);
  REQUIRE(back);
  CHECK(*back == b);
}

TEST_CASE("digits round-trip for every length up to a few hundred bytes", "[codec]") {
  std::mt19937 rng(20261127);
  for (std::size_t n = 1; n <= 300; ++n) {
    bytes b(n);
    for (auto& v : b) v = static_cast<std::uint8_t>(rng());
    if (n % 3 == 0) b[0] = 0;  // leading zero bytes survive
    const std::string d = to_digits(b);
    REQUIRE(d.size() == digit_width(n));
    auto back = from_digits(d);
    REQUIRE(back);
    REQUIRE(*back == b);
  }
}

TEST_CASE("digits of the wrong width or value are rejected", "[codec]") {
  auto [input, expected] = GENERATE(table<std::string, errc>({
      {"", errc::bad_digits},
      {"0", errc::bad_digits},     // width 1 is no byte count
      {"0000", errc::bad_digits},  // width 4 neither
      {"256", errc::bad_digits},   // three digits hold one byte: at most 255
      {"65536", errc::bad_digits},
      {"12a", errc::bad_digits},
      {"1 2", errc::bad_digits},
      {"-12", errc::bad_digits},
      {std::string(5000, '1'), errc::too_large},
  }));
  auto r = from_digits(input);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(expected));
  CHECK_FALSE(r.error().message.empty());
}
