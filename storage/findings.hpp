// What an inspection finds besides the codes scanned (issue 10): the vendor when the place is
// not a registered unit, each uncoded item on sale with the action taken and a rectification
// deadline, its photo, and the follow-up that closes it. Who may do what is the ledger's
// rule (storage/ledger.hpp): inspectors record; admins and inspectors read.
#pragma once

#include "codec/bytes.hpp"
#include "storage/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coldtrace::storage {

// A place that is not a registered unit (a street vendor, an unlicensed stall).
struct vendor_info {
  std::string name;
  std::string address;
  std::string credit_code;  // empty when the vendor has none or did not show it
  std::string region;       // empty in a request: the inspector's unit's region
};

enum class finding_action { seal, seize, stop_selling };
std::string_view to_string(finding_action a);
std::optional<finding_action> finding_action_from(std::string_view s);

// One uncoded item as the inspector records it.
struct finding_request {
  std::string product;
  std::string category;  // a category of codec::categories()
  std::int64_t weight_g = 0;
  finding_action action = finding_action::stop_selling;
  std::optional<time_point> deadline;  // rectification due by; none: nothing to follow up
};

struct finding_record {
  std::int64_t id = 0;
  std::int64_t inspection = 0;
  std::string product;
  std::string category;
  std::int64_t weight_g = 0;
  finding_action action = finding_action::stop_selling;
  std::optional<time_point> deadline;
  std::optional<std::string> photo_type;  // "image/jpeg" or "image/png" when a photo is kept
  std::optional<time_point> closed_at;    // the follow-up
  account_id closed_by = 0;
  std::string follow_up;
  // Where it was found (filled by reads of findings; a record inside an inspection leaves
  // these to the inspection).
  time_point inspected_at{};
  account_id inspector = 0;
  unit_id unit = 0;  // 0: an unregistered vendor
  std::string place_name, region;
  bool overdue = false;  // open past its deadline, at the time of the read
};

// Photos: JPEG or PNG, recognised by their first bytes, at most this size.
inline constexpr std::size_t max_photo_bytes = 1 << 20;

struct photo_request {
  std::int64_t finding = 0;
  std::string media_type;  // what the client declared; must agree with the bytes
  bytes data;
};

struct photo {
  std::string media_type;
  bytes data;
};

struct follow_up_request {
  std::int64_t finding = 0;
  std::string note;  // what the inspector found on the return visit
};

enum class finding_state { open, overdue, closed, all };
std::optional<finding_state> finding_state_from(std::string_view s);

// The bureau's list: findings in `state` (open: a deadline and no follow-up yet; overdue: open
// past its deadline at `now`), optionally of one region or one unit, by id.
struct findings_query {
  finding_state state = finding_state::open;
  std::string region;
  std::optional<unit_id> unit;
  time_point now{};
};

// Counts for the statistics (ops::finding_counts): findings recorded in [from, to), follow-ups
// recorded in [from, to), and findings open past their deadline at `now`.
struct finding_counts {
  std::int64_t opened = 0;
  std::int64_t rectified = 0;
  std::int64_t overdue = 0;
};

}  // namespace coldtrace::storage
