#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coldtrace {

using bytes = std::vector<std::uint8_t>;
using bytes_view = std::span<const std::uint8_t>;

inline bytes_view as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(bytes_view b);
// Accepts upper or lower case; empty on odd length or a non-hex character.
bool from_hex(std::string_view hex, bytes& out);

std::string base64url_encode(bytes_view b);  // RFC 4648 §5, no padding
bool base64url_decode(std::string_view s, bytes& out);

}  // namespace coldtrace
