// Realistic demo data, written through the ledger's own interface (so it obeys every rule
// and fills the audit chain): units of every kind, lots of every category, the whole flow
// down to shops and canteens, a recall after a positive result, inspections with findings.
#pragma once

#include "storage/ledger.hpp"

#include <string>

namespace coldtrace::storage {

// The 18-character credit code made of `first17` and its GB 32100-2015 check character.
std::string with_check_character(std::string_view first17);

struct demo_summary {
  std::int64_t units = 0;
  std::int64_t lots = 0;
  std::int64_t codes = 0;
  std::int64_t sales = 0;
  lot_id recalled_lot = 0;
  std::string admin_token;            // the bureau admin's token, shown once
  std::vector<code_id> sample_codes;  // a few codes worth scanning: valid, recalled, ...
};

// Fills an empty ledger. `start` is the first day of the demo period (30 days of activity).
result<demo_summary> populate_demo(ledger& l, time_point start);

}  // namespace coldtrace::storage
