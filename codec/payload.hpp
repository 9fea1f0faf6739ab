// The signed content of a code, format version 1 (docs/code-format.md):
// [1, code_id, root_lot, split_path, category, quantity_g, holder, origin, issued_day]
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

#include <cstdint>

namespace coldtrace::codec {

inline constexpr std::uint64_t payload_version = 1;
inline constexpr std::size_t max_split_depth = 32;

struct payload {
  std::uint64_t code_id = 0;
  std::uint64_t root_lot = 0;
  bytes split_path;  // one byte per split level: the child's ordinal (1..255) under its parent
  std::uint8_t category = 0;
  std::uint64_t quantity_g = 0;
  std::uint64_t holder = 0;      // unit id
  std::uint16_t origin = 0;      // ISO 3166-1 numeric
  std::uint32_t issued_day = 0;  // days since 1970-01-01

  bool operator==(const payload&) const = default;
};

bytes encode_payload(const payload& p);
// Strict: well-formed, canonical, version 1, every field in range.
result<payload> decode_payload(bytes_view b);

}  // namespace coldtrace::codec
