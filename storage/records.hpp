// What the ledger answers: plain structs, free of any database type.
#pragma once

#include "codec/bytes.hpp"
#include "codec/verdict.hpp"
#include "storage/error.hpp"
#include "storage/findings.hpp"
#include "storage/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coldtrace::storage {

struct unit_record {
  unit_id id = 0;
  std::string credit_code;
  std::string name;
  unit_kind kind = unit_kind::seller;
  std::string region;
  time_point registered_at{};
};

struct account_record {
  account_id id = 0;
  unit_id unit = 0;
  account_role role = account_role::unit_operator;
  std::string name;
  time_point created_at{};
  std::optional<time_point> revoked_at;
};

// A bearer token is returned once, here; the ledger keeps only its SHA-256.
struct issued_token {
  account_record account;
  std::string token;
};

// What inspectors and recalls need beyond the customs papers (issue 11), all optional: who
// made it, the overseas plant's registration, the production date and batch, the highest
// storage temperature, and for domestic meat the animal quarantine certificate.
struct lot_details {
  std::string manufacturer;
  std::string plant_registration;  // 境外生产企业注册编号, imports
  std::string production_date;     // YYYY-MM-DD, or empty
  std::string batch_number;
  std::optional<std::int64_t> storage_temp_c;  // store at or below, in °C
  std::string animal_quarantine_certificate;   // 动物检疫合格证明编号, domestic meat
  bool operator==(const lot_details&) const = default;
};

struct lot_record {
  lot_id id = 0;
  unit_id warehouse = 0;
  std::string product;
  std::string category;  // codec category name
  std::string origin;    // ISO 3166-1 alpha-2
  std::int64_t net_weight_g = 0;
  std::int64_t packages = 0;
  std::string consignor;
  std::string customs_number;
  std::string quarantine_certificate;
  std::string vehicle;
  time_point intake_at{};
  lot_status status = lot_status::held;
  std::optional<time_point> released_at;
  std::optional<time_point> recalled_at;
  code_id root_code = 0;
  lot_details details;
};

struct code_record {
  code_id id = 0;
  lot_id lot = 0;
  std::optional<code_id> parent;
  bytes split_path;
  unit_id holder = 0;
  std::int64_t quantity_g = 0;
  std::int64_t remaining_g = 0;
  int children = 0;
  code_status status = code_status::pending;
  time_point issued_at{};
  std::optional<time_point> received_at;
  bytes signed_code;  // the COSE_Sign1 bytes, for the label
  // Its lot's state, read with the holder's list of codes (list_codes) so that a console can
  // tell a code it may dispatch from one it may not; empty where a query did not read it.
  std::optional<lot_status> lot_state;
  bool lot_recalled = false;
};

struct intake_result {
  lot_record lot;
  code_record code;  // the root code, printable at once, sellable after release
};

struct result_record {
  test_outcome outcome = test_outcome::negative;
  std::string lab;
  std::string report_number;
  time_point reported_at{};
};

struct sample_record {
  sample_id id = 0;
  lot_id lot = 0;
  sample_type type = sample_type::outer_packaging;
  time_point collected_at{};
  std::string collector;
  std::optional<result_record> result;
};

struct disinfection_record {
  std::int64_t id = 0;
  lot_id lot = 0;
  std::string agent;
  time_point performed_at{};
  std::string operator_name;
  std::string certificate;
};

struct recall_record {
  std::int64_t id = 0;
  lot_id lot = 0;
  std::string reason;
  time_point at{};
};

struct lot_detail {
  lot_record lot;
  std::vector<sample_record> samples;
  std::vector<disinfection_record> disinfections;
  std::optional<recall_record> recall;
};

// What one unit holds of a recalled lot: received (active) and still in transit to it.
struct holding {
  unit_id unit = 0;
  std::string unit_name;
  std::int64_t held_g = 0;
  std::int64_t in_transit_g = 0;
  std::int64_t codes = 0;
};

struct recall_result {
  recall_record recall;
  std::vector<holding> holders;  // every unit still holding some of the lot, largest first
  std::int64_t codes_blocked = 0;
};

struct sale_check_result {
  coldtrace::verdict verdict = coldtrace::verdict::unknown;
  std::optional<code_id> code;
  std::optional<std::int64_t> sale;  // the sale recorded, when a quantity was sold
  std::int64_t remaining_g = 0;
};

// What became of one line of a batch (requests.hpp). `done`: written now, or before under
// the same reference (the first write's result, as it is now). `denied`: a sale the check
// refused (the check is recorded as a finding, as a single check's is). `failed`: the line
// broke a rule and wrote nothing. `rolled_back`: the line was fine but the batch was atomic
// (or a dry run) and nothing of it was written.
enum class line_status { done, denied, failed, rolled_back };
std::string_view to_string(line_status s);

struct batch_line_result {
  std::string ref;
  line_status status = line_status::failed;
  std::optional<error> failure;           // failed: why
  std::optional<code_record> code;        // receipt, dispatch: the code received or issued
  std::optional<sale_check_result> sale;  // sale
  bool replayed = false;  // answered from the reference's earlier write: nothing written now
};

struct batch_result {
  std::vector<batch_line_result> lines;
  bool written = false;  // something of the batch was committed now
};

// One code in a trace: where it sits in the lot's tree and who holds it.
struct trace_node {
  code_id id = 0;
  std::optional<code_id> parent;
  bytes split_path;
  unit_id holder = 0;
  std::string holder_name;
  std::int64_t quantity_g = 0;
  std::int64_t remaining_g = 0;
  code_status status = code_status::pending;
  time_point issued_at{};
  std::optional<time_point> received_at;
};

struct trace_result {
  lot_record lot;
  std::vector<trace_node> chain;        // from the root code down to the traced code, inclusive
  std::vector<trace_node> descendants;  // every code below it, depth first (split-path order)
};

struct checked_code {
  std::optional<code_id> code;  // absent when the scanned bytes name no code of ours
  coldtrace::verdict verdict = coldtrace::verdict::unknown;
};

struct inspection_record {
  std::int64_t id = 0;
  account_id inspector = 0;
  unit_id unit = 0;
  time_point at{};
  std::vector<checked_code> codes;
  std::int64_t uncoded_items = 0;
  std::string note;
  std::optional<vendor_info> vendor;     // set when `unit` is 0: an unregistered vendor
  std::vector<finding_record> findings;  // the uncoded items, item by item
};

struct sale_record {
  std::int64_t id = 0;
  code_id code = 0;
  unit_id unit = 0;
  std::int64_t quantity_g = 0;
  time_point at{};
};

struct event_record {
  event_seq seq = 0;
  time_point at{};
  actor by;
  std::string type;     // e.g. "lot.intake"
  std::string subject;  // e.g. "lot/17"
  std::string data;     // canonical JSON of the operation
  bytes prev_hash;
  bytes hash;
};

// A page of the change feed: the events after a sequence number and the chain's head, both
// from one read, so a consumer knows whether it has caught up.
struct event_feed {
  std::vector<event_record> events;
  event_seq head_seq = 0;  // 0 while the chain is empty
  bytes head_hash;         // empty while the chain is empty
};

}  // namespace coldtrace::storage
