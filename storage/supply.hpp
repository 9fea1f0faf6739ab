// What happened to lots and their codes, one step per fact, for GS1 EPCIS documents
// (server/api/epcis.*): the same selection and visibility as the exports (an export_query's
// lot, or its period and unit), with the identifiers an outside system needs: the units'
// credit codes and the codes' signed bytes (their URLs).
#pragma once

#include "codec/bytes.hpp"
#include "storage/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coldtrace::storage {

enum class step_kind {
  intake,        // the lot registered, its root code issued
  sample,        // a sample taken
  result,        // a sample's lab result
  disinfection,  // a preventive disinfection
  release,       // the lot released
  dispatch,      // a quantity split off a code under a new code, sent to a consignee
  receipt,       // the consignee's scan of the new code
  sale,          // a quantity sold at the counter
  recall,        // the lot recalled (every code of it blocked)
};

struct step_code {
  code_id id = 0;
  bytes signed_code;  // COSE_Sign1 bytes: the code's URL with the platform's host
};

struct supply_step {
  step_kind kind = step_kind::intake;
  time_point at{};
  std::int64_t record = 0;  // the sample, disinfection, transfer, sale or recall; else the lot
  lot_id lot = 0;
  step_code code;                 // the code the step concerns (the lot's root code for lot steps)
  std::optional<step_code> from;  // dispatch: the code the quantity was split from
  std::string unit;               // credit code of the unit where it happened
  std::string to_unit;            // dispatch: the consignee's credit code
  std::int64_t quantity_g = 0;    // intake: net weight; dispatch, sale: the quantity
  std::string term;               // sample type; test outcome; disinfection agent; recall reason
  std::string detail;             // sample: collector; result: lab; disinfection: certificate
  std::string report;             // result: report number
};

struct supply_lot {
  lot_id id = 0;
  std::string product, category, origin, consignor, customs_number, quarantine_certificate;
  std::int64_t net_weight_g = 0, packages = 0;
};

// The steps in time order (ties: lot, then the order of step_kind), and the facts of every lot
// a step belongs to.
struct supply_history {
  std::vector<supply_lot> lots;
  std::vector<supply_step> steps;
};

}  // namespace coldtrace::storage
