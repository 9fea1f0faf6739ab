// A code's number: the short, human-readable form printed under its QR symbol, for a label too
// damaged to scan (docs/code-format.md §8). The code id, a 5-digit tag taken from the code's
// signature (so a number cannot be guessed from an id alone), and a Damm check digit (every
// single wrong digit and every swap of two neighbours is caught), grouped in fours for reading.
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"
#include "codec/keys.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace coldtrace::codec {

struct code_number {
  std::uint64_t code_id = 0;
  std::uint32_t tag = 0;  // 0 to 99999
  bool operator==(const code_number&) const = default;
};

inline constexpr std::size_t number_tag_digits = 5;
inline constexpr std::size_t number_id_min_digits = 6;
inline constexpr std::size_t number_min_digits = 12;  // 6 + 5 + the check digit
inline constexpr std::size_t number_max_digits = 25;  // a 19-digit id

// The tag: the signature's first four bytes as a big-endian integer, mod 100000.
std::uint32_t number_tag(const signature_t& signature);

// The Damm check digit ('0'-'9') of a string of decimal digits.
char damm_check_digit(std::string_view digits);

// The number's digits, ungrouped: id (at least 6 digits) + tag (5) + check digit.
std::string number_digits(const code_number& n);

// The printed form: the digits in groups of four, separated by spaces ("0000 1748 2163").
std::string format_number(const code_number& n);

// The number of an issued code (its bytes): errc like read_code when they are not a code.
result<code_number> number_of_code(bytes_view code);

// True when `text` is written as a number rather than a code: only digits, spaces and hyphens,
// with 1 to number_max_digits digits. A code's own digits are hundreds long.
bool looks_like_number(std::string_view text);

// Reads a number as a person types it: digits in any grouping of spaces or hyphens.
// errc::bad_digits with a message that says what is wrong (a digit misread, too short, ...).
result<code_number> parse_number(std::string_view text);

}  // namespace coldtrace::codec
