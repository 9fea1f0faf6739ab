// Bytes <-> decimal digits for QR numeric mode. n bytes are written as the big-endian integer
// in exactly digit_width(n) digits (the number of digits of 256^n - 1), left-padded with zeros,
// so leading zero bytes survive and the width gives n back. Any other width is rejected.
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

namespace coldtrace::codec {

inline constexpr std::size_t max_code_bytes = 512;  // far above any code we issue

std::size_t digit_width(std::size_t n_bytes);
std::string to_digits(bytes_view b);
result<bytes> from_digits(std::string_view digits);

}  // namespace coldtrace::codec
