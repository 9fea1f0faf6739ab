// The signed content of a code (docs/code-format.md §1). Version 1:
//   [1, code_id, root_lot, split_path, category, quantity_g, holder, origin, issued_day]
// Version 2 has the same goods form with split levels past 255 children, and a pre-printed
// label form that carries no lot:
//   [2, code_id, root_lot, split_path, category, quantity_g, holder, origin, issued_day]
//   [2, code_id, warehouse, issued_day]
// A code is written as version 1 whenever version 1 can say it, so that every verifier made
// for version 1 keeps reading the codes that fit it.
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

#include <cstdint>
#include <vector>

namespace coldtrace::codec {

inline constexpr std::uint64_t payload_version = 2;  // the newest this software reads
inline constexpr std::size_t max_split_depth = 32;   // levels
// A split level: a byte 1–255 is that ordinal; byte 0 and three bytes big-endian is an
// ordinal from 256 (docs/code-format.md §1). Version 1 paths are the paths with no zero byte.
inline constexpr std::uint32_t max_split_ordinal = 0xFF'FFFF;
inline constexpr std::size_t max_split_path_bytes = 4 * max_split_depth;

struct payload {
  std::uint64_t code_id = 0;
  std::uint64_t root_lot = 0;  // 0 for a pre-printed label (its lot is bound online only)
  bytes split_path;            // the levels, each the child's ordinal under its parent
  std::uint8_t category = 0;
  std::uint64_t quantity_g = 0;
  std::uint64_t holder = 0;  // unit id; for a pre-printed label, the warehouse it was printed for
  std::uint16_t origin = 0;  // ISO 3166-1 numeric
  std::uint32_t issued_day = 0;  // days since 1970-01-01

  // A pre-printed label: signed before any goods existed, so its signature proves only that
  // the platform printed it for `holder` on `issued_day`.
  bool is_label() const { return root_lot == 0; }
  // The format version encode_payload writes: 1 unless the code needs version 2.
  std::uint64_t version() const;

  bool operator==(const payload&) const = default;
};

bytes encode_payload(const payload& p);
// Strict: well-formed, canonical, version 1 or 2, every field in range.
result<payload> decode_payload(bytes_view b);

// The ordinals of a split path, root first; bad_payload when it is not a canonical path
// (a zero ordinal, an escaped ordinal below 256, a cut-off level, too deep).
result<std::vector<std::uint32_t>> split_levels(bytes_view path);
// Appends a level (1 ≤ ordinal ≤ max_split_ordinal) in its canonical form.
void append_split_level(bytes& path, std::uint32_t ordinal);

}  // namespace coldtrace::codec
