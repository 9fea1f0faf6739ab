// What a unit's counter screen reads (issue 10): the unit's stock by code, and its sale checks
// of a day (the sales and the refusals). The unit's own staff only; see ledger.hpp.
#pragma once

#include "storage/records.hpp"

#include <vector>

namespace coldtrace::storage {

// One code the unit holds, or is about to receive. received, sold and dispatched are what
// the ledger recorded under this code: received_g is its quantity once received (0 while
// pending), and remaining_g = received_g - sold_g - dispatched_g for a received code.
struct stock_line {
  code_record code;  // with lot_state and lot_recalled set
  std::string product;
  std::int64_t received_g = 0;
  std::int64_t sold_g = 0;
  std::int64_t dispatched_g = 0;
};

// Lots that must come off the shelf (recalled, then quarantined) first, then the codes
// awaiting receipt, then the rest, newest first. Codes used up (nothing left, received) are
// left out; at most `stock_limit` lines.
struct unit_stock {
  unit_id unit = 0;
  std::vector<stock_line> lines;
  bool truncated = false;  // more lines than stock_limit
};
inline constexpr std::size_t stock_limit = 1000;

// One sale check at the unit: a scan refused, allowed, or allowed and sold.
struct counter_check {
  std::int64_t id = 0;
  coldtrace::verdict verdict = coldtrace::verdict::unknown;
  std::optional<code_record> code;  // a code of ours (any holder); none for a scan that was not
  std::string product;              // the code's lot, when there is a code
  std::optional<std::int64_t> quantity_g;  // asked for
  std::optional<std::int64_t> sale;        // recorded
  time_point at{};
};

// The unit's checks in [from, to), newest first (at most `day_limit`), and the day's totals.
struct unit_day {
  unit_id unit = 0;
  time_point from{};
  time_point to{};
  std::vector<counter_check> checks;
  std::int64_t sales = 0;
  std::int64_t sold_g = 0;
  std::int64_t refused = 0;  // checks with a verdict other than valid
  bool truncated = false;
};
inline constexpr std::size_t day_limit = 500;

}  // namespace coldtrace::storage
