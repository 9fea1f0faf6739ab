#include "codec/digits.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

namespace coldtrace::codec {
namespace {

constexpr std::uint32_t chunk = 1'000'000'000;  // 9 decimal digits per 32-bit limb step

// widths[n] = the number of decimal digits of 256^n - 1, computed exactly once.
const std::array<std::size_t, max_code_bytes + 1>& widths() {
  static const auto table = [] {
    std::array<std::size_t, max_code_bytes + 1> t{};
    std::vector<std::uint8_t> dec{1};  // 256^n in decimal, least significant digit first
    for (std::size_t n = 1; n <= max_code_bytes; ++n) {
      unsigned carry = 0;
      for (auto& d : dec) {
        unsigned v = d * 256u + carry;
        d = static_cast<std::uint8_t>(v % 10);
        carry = v / 10;
      }
      for (; carry; carry /= 10) dec.push_back(static_cast<std::uint8_t>(carry % 10));
      t[n] = dec.size();  // 256^n is never a power of ten, so 256^n - 1 has as many digits
    }
    return t;
  }();
  return table;
}

}  // namespace

std::size_t digit_width(std::size_t n_bytes) {
  return n_bytes <= max_code_bytes ? widths()[n_bytes] : 0;
}

std::string to_digits(bytes_view b) {
  // Big-endian bytes -> little-endian base-2^32 limbs, then repeated division by 10^9.
  std::vector<std::uint32_t> limbs((b.size() + 3) / 4, 0);
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::size_t bit = (b.size() - 1 - i) * 8;
    limbs[bit / 32] |= std::uint32_t{b[i]} << (bit % 32);
  }
  std::string out;
  while (!limbs.empty()) {
    std::uint64_t rem = 0;
    for (std::size_t i = limbs.size(); i-- > 0;) {
      std::uint64_t cur = rem << 32 | limbs[i];
      limbs[i] = static_cast<std::uint32_t>(cur / chunk);
      rem = cur % chunk;
    }
    while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
    for (int i = 0; i < 9; ++i, rem /= 10) out.push_back(static_cast<char>('0' + rem % 10));
  }
  const std::size_t width = digit_width(b.size());
  out.resize(std::max(width, out.size()), '0');
  while (out.size() > width && out.back() == '0') out.pop_back();
  std::reverse(out.begin(), out.end());
  return out;
}

result<bytes> from_digits(std::string_view digits) {
  if (digits.empty()) return fail(errc::bad_digits, "the code has no digits");
  if (digits.size() > digit_width(max_code_bytes))
    return fail(errc::too_large, "the code has " + std::to_string(digits.size()) +
                                     " digits, more than any coldtrace code");
  for (std::size_t i = 0; i < digits.size(); ++i)
    if (digits[i] < '0' || digits[i] > '9')
      return fail(errc::bad_digits,
                  "character " + std::to_string(i + 1) + " of the code is not a digit");
  const auto& w = widths();
  auto it = std::lower_bound(w.begin() + 1, w.end(), digits.size());
  if (it == w.end() || *it != digits.size())
    return fail(errc::bad_digits, "a code of " + std::to_string(digits.size()) +
                                      " digits is not a valid length (truncated or padded?)");
  const auto n = static_cast<std::size_t>(it - w.begin());

  std::vector<std::uint32_t> limbs;  // little-endian base 2^32
  for (std::size_t pos = 0; pos < digits.size();) {
    std::size_t take = std::min<std::size_t>(9, digits.size() - pos);
    std::uint32_t part = 0, scale = 1;
    for (std::size_t i = 0; i < take; ++i, ++pos) {
      part = part * 10 + static_cast<std::uint32_t>(digits[pos] - '0');
      scale *= 10;
    }
    std::uint64_t carry = part;
    for (auto& l : limbs) {
      std::uint64_t cur = std::uint64_t{l} * scale + carry;
      l = static_cast<std::uint32_t>(cur);
      carry = cur >> 32;
    }
    if (carry) limbs.push_back(static_cast<std::uint32_t>(carry));
  }
  while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
  const std::size_t bits =
      limbs.empty() ? 0 : (limbs.size() - 1) * 32 + std::bit_width(limbs.back());
  if (bits > 8 * n) return fail(errc::bad_digits, "the code's number is too large for its length");
  bytes out(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t bit = (n - 1 - i) * 8;
    if (bit / 32 < limbs.size()) out[i] = static_cast<std::uint8_t>(limbs[bit / 32] >> (bit % 32));
  }
  return out;
}

}  // namespace coldtrace::codec
