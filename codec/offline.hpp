// Offline verification's second half (docs/code-format.md): the signed list of non-sellable
// lots that GET /api/v1/blocked serves, and the answer for a code whose signature already
// holds. Offline fails closed: a code the list does not cover, or a list older than the
// allowed age, is "genuine, status not confirmed since <the list's time>", never valid.
#pragma once

#include "codec/keys.hpp"
#include "codec/payload.hpp"
#include "codec/verdict.hpp"

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace coldtrace::codec {

using seconds_time = std::chrono::sys_seconds;

// Every code of `lot` whose split path starts with `path` may not be sold.
struct block_entry {
  std::uint64_t lot = 0;
  bytes path;
  verdict status = verdict::not_released;  // recalled, quarantined or not_released (held)
};

struct block_list {
  seconds_time issued_at;
  std::uint64_t last_lot = 0;   // the highest lot id when the list was made
  std::uint64_t last_code = 0;  // the highest code id when the list was made
  std::vector<block_entry> entries;
};

// The list as served ({"payload", "kid", "signature"}), its signature checked against `keys`.
// errc::bad_signature when the signature fails or no key has its kid; bad_value when it is not
// such a list.
result<block_list> read_block_list(std::string_view signed_json, const key_set& keys);

// The default for how old a list may be before offline answers stop being confirmed.
inline constexpr std::chrono::seconds default_max_list_age{24 * 3600};

// Why an offline answer for a genuine code is not confirmed.
enum class unconfirmed {
  no,            // confirmed: the list covers the code and is recent enough
  no_list,       // there is no list to check against
  beyond_list,   // the code or its lot was issued after the list was made
  list_too_old,  // the list is older than the allowed age
  label,         // a pre-printed label: what it is bound to is known online only
};

std::string_view to_string(unconfirmed u);

// The offline answer for a genuine code: `verdict` is the list's status when the list names the
// code (recalled, quarantined, not_released), valid when confirmed, and unknown when not
// confirmed: "genuine label, status not confirmed since `confirmed_at`" (the list's time, when
// there is a list: the status was last known then).
struct offline_answer {
  coldtrace::verdict verdict = coldtrace::verdict::unknown;
  unconfirmed why = unconfirmed::no_list;
  std::optional<seconds_time> confirmed_at;  // the list's time, when there is a list
};

offline_answer check_offline(const payload& code, const block_list* list, seconds_time now,
                             std::chrono::seconds max_age = default_max_list_age);

// "2026-01-01T08:00:00Z", as the server writes times.
std::string format_time(seconds_time t);
result<seconds_time> parse_time(std::string_view text);

}  // namespace coldtrace::codec
