// What the caller asks the ledger to do: plain structs, validated by the ledger.
#pragma once

#include "codec/bytes.hpp"
#include "codec/number.hpp"
#include "storage/findings.hpp"
#include "storage/records.hpp"
#include "storage/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace coldtrace::storage {

struct unit_request {
  std::string credit_code;  // 18 characters, GB 32100-2015 check character
  std::string name;
  unit_kind kind = unit_kind::seller;
  std::string region;  // e.g. an administrative division name or code
};

struct account_request {
  unit_id unit = 0;
  account_role role = account_role::unit_operator;
  std::string name;
};

struct intake_request {
  std::string product;
  std::string category;  // a name from codec::categories(), e.g. "imported_fruit"
  std::string origin;    // ISO 3166-1 alpha-2
  std::int64_t net_weight_g = 0;
  std::int64_t packages = 0;
  std::string consignor;
  std::string customs_number;          // 18 digits; required for imports
  std::string quarantine_certificate;  // required for imports
  std::string vehicle;                 // plate or container number
  lot_details details{};  // optional; `{}` lets brace-initialised requests leave it out
};

// Which lots a list or a search returns; every field narrows it, none set lists all. Text is
// matched exactly except the product, which is a part of the name. A certificate matches the
// quarantine certificate or the animal quarantine certificate. [from, to) bounds intake.
struct lot_filter {
  std::optional<lot_status> status;
  std::string product;
  std::string category;
  std::string customs_number;
  std::string certificate;
  std::string batch_number;
  std::optional<time_point> from;
  std::optional<time_point> to;
};

struct sample_request {
  lot_id lot = 0;
  sample_type type = sample_type::outer_packaging;
  time_point collected_at{};
  std::string collector;
};

struct result_request {
  sample_id sample = 0;
  test_outcome outcome = test_outcome::negative;
  std::string lab;
  std::string report_number;
  time_point reported_at{};
};

struct disinfection_request {
  lot_id lot = 0;
  std::string agent;
  time_point performed_at{};
  std::string operator_name;
  std::string certificate;
};

struct dispatch_request {
  code_id code = 0;  // the code goods leave under; a child code is issued for the consignee
  unit_id consignee = 0;
  std::int64_t quantity_g = 0;
};

// A code as scanned: its bytes (codec::parse_code_text gives them from a URL or digits), and
// whether the URL named a host that is not the platform's. Such a label is counterfeit whatever
// its digits (DESIGN §3): the ledger judges it forged.
struct scan {
  scan() = default;
  scan(bytes b) : raw(std::move(b)) {}  // implicit: bytes alone are a scan under our own host
  static scan under_foreign_host() {
    scan s;
    s.foreign_host = true;
    return s;
  }
  // The short number printed under the QR (docs/code-format.md §8), typed by a person: the
  // ledger judges the code with that id, or forged when the number's tag is not that code's.
  static scan by_number(codec::code_number n) {
    scan s;
    s.number = n;
    return s;
  }
  bytes raw;
  bool foreign_host = false;
  std::optional<codec::code_number> number;
};

// A point-of-sale scan: may `unit` sell from this code now? With a quantity, a sale is recorded.
struct sale_check_request {
  scan code;
  unit_id unit = 0;
  std::optional<std::int64_t> quantity_g;
};

// A recall of a whole lot, or of one consignment code and everything below it (`code`, a
// code of `lot`; its split path is the prefix the offline block list carries). `proposal`:
// the proposal this recall confirms (a recall of the whole lot confirms its open ones anyway).
struct recall_request {
  recall_request() = default;
  recall_request(lot_id l, std::string why, std::optional<code_id> c = std::nullopt,
                 std::optional<std::int64_t> p = std::nullopt)
      : lot(l), reason(std::move(why)), code(c), proposal(p) {}
  lot_id lot = 0;
  std::string reason;
  std::optional<code_id> code;
  std::optional<std::int64_t> proposal;
};

struct inspection_request {
  inspection_request() = default;
  inspection_request(unit_id u, std::vector<scan> c, std::int64_t uncoded = 0, std::string n = {})
      : unit(u), codes(std::move(c)), uncoded_items(uncoded), note(std::move(n)) {}
  unit_id unit = 0;                // the unit inspected (0: `vendor` says where)
  std::vector<scan> codes;         // codes scanned there; the ledger judges each at that unit
  std::int64_t uncoded_items = 0;  // goods found on sale without a code (at least the findings)
  std::string note;
  std::optional<vendor_info> vendor;      // a place that is not a registered unit
  std::vector<finding_request> findings;  // uncoded items, item by item
};

// Many receipts, dispatches and sales in one request (a unit's own ERP or POS, or a file it
// imports). Each line carries the client's reference: a line whose reference the caller's
// account used within the idempotency window answers with that first write's result and
// writes nothing. Lines run in order, each in its own savepoint: a failing line changes
// nothing and does not stop the others unless `atomic` (then any failure writes nothing at
// all). A `dry_run` checks every line against the ledger as it would run and writes nothing.
enum class batch_op { receipt, dispatch, sale };

struct batch_line {
  std::string ref;  // the client's reference, 1 to 64 printable ASCII characters
  batch_op op = batch_op::receipt;
  code_id code = 0;           // receipt: the code received
  dispatch_request dispatch;  // dispatch
  sale_check_request sale;    // sale: the scan, the caller's unit and the quantity sold
};

struct batch_request {
  std::vector<batch_line> lines;
  bool atomic = false;
  bool dry_run = false;
};

// Keyset pagination: rows with an id greater than `after`, at most `limit` of them.
struct page {
  std::int64_t after = 0;
  std::int64_t limit = 100;
};

}  // namespace coldtrace::storage
