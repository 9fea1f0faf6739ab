// The ledger's read-side answers that gather many records: a code's verification, the
// statistics a bureau reports, the audit chain's check, the list offline verifiers carry.
#pragma once

#include "storage/findings.hpp"
#include "storage/records.hpp"

#include <array>
#include <utility>

namespace coldtrace::storage {

// A lot's test as anyone may see it: what was sampled, when, and the lab's answer (no
// collector, no report number).
struct public_test {
  sample_type type = sample_type::outer_packaging;
  time_point collected_at{};
  std::optional<test_outcome> outcome;  // none while the lab has not reported
  std::string lab;
  std::optional<time_point> reported_at;
};

// What a phone shows after scanning, and all that anyone may see without a token (DESIGN §3):
// the lot's facts, its tests and disinfection, and the unit that holds this code. Nothing of
// the network: no chain, no other units, no quantities or stock. Those are for the holder, its
// suppliers and inspectors, through the authenticated trace.
struct code_facts {
  code_id code = 0;
  std::string number;  // printed under the QR symbol (docs/code-format.md §8)
  lot_id lot = 0;
  std::string product;
  std::string category;
  std::string origin;
  unit_id warehouse = 0;
  std::string warehouse_name;
  time_point intake_at{};
  lot_status lot_state = lot_status::held;
  std::optional<time_point> released_at;
  std::optional<time_point> recalled_at;
  std::string recall_reason;
  std::int64_t samples = 0;
  std::int64_t negative = 0;
  std::int64_t positive = 0;
  std::vector<public_test> tests;  // in the order taken
  std::optional<time_point> last_disinfection_at;
  std::string last_disinfection_agent;
  unit_id holder = 0;
  std::string holder_name;
  code_status status = code_status::pending;
  time_point issued_at{};
};

struct verification {
  coldtrace::verdict verdict = coldtrace::verdict::unknown;
  std::optional<code_facts> facts;  // only for a code we issued, matched byte for byte
};

// [from, to) in wall-clock time.
struct stats_range {
  time_point from{};
  time_point to{};
};

struct category_intake {
  std::string category;
  std::int64_t lots = 0;
  std::int64_t net_weight_g = 0;
};

// One category's figures in a period, as a bureau's half-year report prints them per category.
// Each is counted by the time of its own act, as the report's totals are, so the categories add
// up to the totals: lots and tonnes by intake, samples by collection, results by report (and
// `results_pending`: the period's samples with no result yet), disinfections when performed,
// lots quarantined when their first positive result came, recalls when made.
struct category_figures {
  std::string category;
  std::int64_t lots = 0;
  std::int64_t net_weight_g = 0;
  std::int64_t samples_taken = 0;
  std::int64_t results_negative = 0;
  std::int64_t results_positive = 0;
  std::int64_t results_pending = 0;
  std::int64_t disinfections = 0;
  std::int64_t lots_quarantined = 0;
  std::int64_t recalls = 0;
};

// The recalls made in a period and how far their holders had answered by its end: a holder
// has answered once it recorded what it did with the goods; a recall is completed when every
// holder has (one with no holder has nothing left to do).
struct recall_completion {
  std::int64_t holders = 0;
  std::int64_t holders_answered = 0;
  std::int64_t recalls_completed = 0;
};

// Scans of one kind in a period: how many, and how many distinct codes.
struct scan_figures {
  scan_kind kind = scan_kind::consumer;
  std::int64_t scans = 0;
  std::int64_t codes = 0;
};

struct stats_report {
  stats_range range;
  std::vector<category_intake> intake;  // every known category, zero rows included
  std::int64_t samples_taken = 0;
  std::int64_t results_negative = 0;
  std::int64_t results_positive = 0;
  std::int64_t lots_released = 0;
  std::int64_t lots_quarantined = 0;
  std::int64_t disinfections = 0;  // recorded with a date in the period
  std::int64_t codes_issued = 0;
  // Scans (scan_kind): all of them, by verdict, the distinct codes scanned, and by kind (every
  // kind, zero rows included). Counted per day: whole days whose start is in the period.
  // Counts kept before kinds were told apart (migration 9) are in the total and by verdict only.
  std::int64_t verifications = 0;
  std::vector<std::pair<coldtrace::verdict, std::int64_t>> verifications_by_verdict;
  std::int64_t codes_scanned = 0;
  std::vector<scan_figures> scans_by_kind;
  std::int64_t sale_checks = 0;
  std::vector<std::pair<coldtrace::verdict, std::int64_t>> sale_checks_denied;  // by verdict
  std::int64_t sales = 0;
  std::int64_t sold_g = 0;
  std::int64_t recalls = 0;
  std::vector<std::pair<unit_kind, std::int64_t>> units_by_kind;  // registered before `to`
  // Market units (every kind but the bureau's own regulator units): registered before `to`,
  // and of those in the period, in all and by kind (every kind, zero rows included).
  std::int64_t units_registered = 0;
  std::int64_t units_new = 0;
  std::vector<std::pair<unit_kind, std::int64_t>> units_new_by_kind;
  std::vector<category_figures> by_category;  // every known category, zero rows included
  recall_completion recall_progress;
  std::int64_t inspections = 0;
  std::int64_t inspected_codes = 0;
  std::int64_t uncoded_items = 0;
  // Uncoded-goods findings opened and rectifications recorded in the period, and findings still
  // open past their deadline at the period's end (or now, for a period not yet over).
  finding_counts findings;
};

// The result of walking the audit chain.
struct chain_report {
  std::int64_t events = 0;             // events checked
  std::optional<event_seq> first_bad;  // the first event that does not verify
  std::string problem;                 // what is wrong with it, for a person
  // The state check (coldtrace audit verify; the file's replay, not the live ledger's):
  bool state_checked = false;
  std::int64_t rows = 0;      // state rows found equal to what the events produce
  std::int64_t unproven = 0;  // columns taken as stored: their events predate the data
  std::string state_problem;  // the first row that differs, for a person
  bool intact() const { return !first_bad.has_value() && state_problem.empty(); }
};

// An entry of the list offline verifiers carry: every code of `root_lot` whose split path
// starts with `prefix` may not be sold.
struct blocked_prefix {
  lot_id root_lot = 0;
  bytes prefix;
  coldtrace::verdict reason = coldtrace::verdict::not_released;
};

// The whole list, read in one snapshot, with what it covers: a code whose lot or code id is
// above these was issued after the list was read, so the list says nothing about it.
struct blocked_list {
  std::vector<blocked_prefix> entries;
  lot_id last_lot = 0;    // the highest lot id when the list was read (0: no lot yet)
  code_id last_code = 0;  // the highest code id when the list was read (0: no code yet)
};

// The group-commit writer's counters, for /metrics.
struct commit_stats {
  std::uint64_t batches = 0;
  std::uint64_t operations = 0;
  std::uint64_t max_batch = 0;
  // batch_sizes[i] counts batches of size in [2^i, 2^(i+1)).
  std::array<std::uint64_t, 10> batch_sizes{};
  // The write-ahead log: pages written since it last started over, checkpoints that
  // completed (it started over), and checkpoints a long read kept from completing.
  std::uint64_t wal_pages = 0;
  std::uint64_t checkpoints = 0;
  std::uint64_t checkpoints_busy = 0;
};

}  // namespace coldtrace::storage
