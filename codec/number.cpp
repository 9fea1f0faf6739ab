#include "codec/number.hpp"

#include "codec/code.hpp"
#include "codec/cose.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace coldtrace::codec {
namespace {

// The Damm quasigroup of order 10 (H. M. Damm, 2004): weakly totally anti-symmetric, so one
// check digit catches every single-digit error and every adjacent transposition.
constexpr std::array<std::array<std::uint8_t, 10>, 10> damm_table{{
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
    {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
    {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
    {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}};

bool separator(char c) {
  return c == ' ' || c == '-';
}

std::string padded(std::uint64_t v, std::size_t width) {
  auto s = std::to_string(v);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

error bad(std::string message) {
  return fail(errc::bad_digits, std::move(message));
}

}  // namespace

std::uint32_t number_tag(const signature_t& signature) {
  const std::uint32_t head = (std::uint32_t{signature[0]} << 24) |
                             (std::uint32_t{signature[1]} << 16) |
                             (std::uint32_t{signature[2]} << 8) | std::uint32_t{signature[3]};
  return head % 100000;
}

char damm_check_digit(std::string_view digits) {
  std::uint8_t interim = 0;
  for (char c : digits) interim = damm_table[interim][static_cast<std::size_t>(c - '0')];
  return static_cast<char>('0' + interim);
}

std::string number_digits(const code_number& n) {
  auto s = padded(n.code_id, number_id_min_digits) + padded(n.tag % 100000, number_tag_digits);
  s.push_back(damm_check_digit(s));
  return s;
}

std::string format_number(const code_number& n) {
  const auto digits = number_digits(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(digits[i]);
  }
  return out;
}

result<code_number> number_of_code(bytes_view code) {
  auto p = read_code(code);
  if (!p) return p.error();
  auto m = cose_sign1_parse(code);
  if (!m) return m.error();
  return code_number{p->code_id, number_tag(m->signature)};
}

bool looks_like_number(std::string_view text) {
  std::size_t digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (!separator(c))
      return false;
  }
  return digits >= 1 && digits <= number_max_digits;
}

result<code_number> parse_number(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9')
      digits.push_back(c);
    else if (!separator(c))
      return bad("a code's number has only digits (spaces and hyphens between them are fine)");
    if (digits.size() > number_max_digits) break;
  }
  if (digits.size() < number_min_digits || digits.size() > number_max_digits)
    return bad("a code's number has " + std::to_string(number_min_digits) + " to " +
               std::to_string(number_max_digits) + " digits, as printed under its QR symbol");
  if (damm_check_digit(digits) != '0')
    return bad("the number's check digit does not match: a digit is misread or two are swapped");
  const auto tag_at = digits.size() - 1 - number_tag_digits;
  code_number n;
  auto r = std::from_chars(digits.data(), digits.data() + tag_at, n.code_id);
  if (r.ec != std::errc{} || n.code_id == 0 ||
      n.code_id > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return bad("the number names no code id");
  std::from_chars(digits.data() + tag_at, digits.data() + digits.size() - 1, n.tag);
  return n;
}

}  // namespace coldtrace::codec
