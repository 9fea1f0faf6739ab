// A recall after it is made: the proposal a positive result opens for the bureau, what each
// holder was told and what it did, and the bureau's view of all of it (DESIGN §2, issue 10).
#pragma once

#include "storage/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coldtrace::storage {

// A holder has this long after it was notified to record what it did; later it is overdue.
inline constexpr std::chrono::hours recall_response_time{24};

enum class proposal_status { open, confirmed, dismissed };
std::string_view to_string(proposal_status s);
std::optional<proposal_status> proposal_status_from(std::string_view s);

// Opened by a positive result: the bureau confirms it (a recall of the lot) or dismisses it.
struct recall_proposal {
  std::int64_t id = 0;
  lot_id lot = 0;
  std::string product;
  sample_id sample = 0;
  time_point proposed_at{};
  proposal_status status = proposal_status::open;
  std::optional<std::int64_t> recall;  // when confirmed
  std::string note;                    // why it was dismissed
  std::optional<time_point> decided_at;
  std::vector<holding> holders;  // who holds the lot now (live, for the bureau to judge)
};

// One holder of a recall: what it held when notified, what it sold before, what it did.
struct recall_holder {
  unit_id unit = 0;
  std::string unit_name;
  std::int64_t held_g = 0;
  std::int64_t in_transit_g = 0;
  std::int64_t sold_g = 0;  // sold before the recall, from the recalled codes
  time_point notified_at{};
  std::optional<time_point> seen_at;
  std::optional<time_point> acted_at;
  std::int64_t sealed_g = 0;
  std::int64_t returned_g = 0;
  std::int64_t destroyed_g = 0;
  std::string note;
  bool overdue = false;        // not acted on within recall_response_time
  std::vector<code_id> codes;  // the recalled codes it holds or is receiving
};

// A sale from the recalled codes made before the recall: what reached consumers.
struct recall_sale {
  std::int64_t id = 0;
  unit_id unit = 0;
  std::string unit_name;
  code_id code = 0;
  std::int64_t quantity_g = 0;
  time_point sold_at{};
};

struct recall_view {
  std::int64_t id = 0;
  lot_id lot = 0;
  std::string product;
  std::optional<code_id> code;  // the consignment recalled with everything below it; none: the lot
  std::string reason;
  time_point at{};
  std::vector<recall_holder> holders;  // a holder reading its recall sees only its own row
  std::vector<recall_sale> sales;      // regulators only
};

// A holder's account of what it did with what it held (and what was on the way to it):
// the three quantities must add up to exactly that.
struct recall_response_request {
  std::int64_t recall = 0;
  std::int64_t sealed_g = 0;
  std::int64_t returned_g = 0;
  std::int64_t destroyed_g = 0;
  std::string note;
};

struct proposal_dismissal {
  std::int64_t proposal = 0;
  std::string reason;
};

}  // namespace coldtrace::storage
