// The ledger's operations over one SQLite connection. Writes run on the writer's connection
// inside a savepoint; each checks its rules before changing anything, so an error return
// means nothing changed, and each appends its event to the audit chain. Reads run on a
// reader's connection. Internal: the public interface is storage/ledger.hpp.
#pragma once

#include "codec/keys.hpp"
#include "storage/counter.hpp"
#include "storage/exports.hpp"
#include "storage/recalls.hpp"
#include "storage/reports.hpp"
#include "storage/requests.hpp"
#include "storage/sessions.hpp"
#include "storage/sqlite/db.hpp"

#include <map>
#include <tuple>

namespace coldtrace::storage::sql::ops {

// ---- units, accounts, tokens (ops_accounts.cpp) ----------------------------------------
result<unit_record> register_unit(connection& c, const context& ctx, const unit_request& r);
result<issued_token> create_account(connection& c, const context& ctx, const account_request& r);
result<issued_token> rotate_token(connection& c, const context& ctx, account_id a);
result<account_record> revoke_token(connection& c, const context& ctx, account_id a);
result<actor> authenticate(connection& c, std::string_view token);
result<std::vector<account_record>> list_accounts(connection& c, const actor& by, unit_id unit);

// ---- passwords and sessions (ops_sessions.cpp) -------------------------------------------
struct password_row {
  account_record account;
  std::string hash;  // Argon2id, encoded
};
// `hash` is storage/password.hpp's hash_password of the new password.
result<account_record> set_password(connection& c, const context& ctx, account_id a,
                                    const std::string& hash);
std::optional<password_row> find_password(connection& c, std::string_view name);
// For `a`, whose password the caller has verified; `token` is new_session_token()'s.
result<issued_session> open_session(connection& c, const context& ctx, const account_record& a,
                                    std::string token);
result<std::int64_t> end_session(connection& c, const context& ctx, std::string_view token);
result<std::int64_t> revoke_sessions(connection& c, const context& ctx, account_id a);
result<actor> authenticate_session(connection& c, std::string_view token, time_point now);

// ---- the warehouse (ops_lots.cpp) --------------------------------------------------------
result<intake_result> intake(connection& c, const context& ctx, const intake_request& r,
                             const codec::signing_key* key);
result<sample_record> add_sample(connection& c, const context& ctx, const sample_request& r);
result<sample_record> record_result(connection& c, const context& ctx, const result_request& r);
result<disinfection_record> record_disinfection(connection& c, const context& ctx,
                                                const disinfection_request& r);
result<lot_record> release(connection& c, const context& ctx, lot_id lot);

// ---- codes in circulation (ops_codes.cpp) ------------------------------------------------
result<code_record> dispatch(connection& c, const context& ctx, const dispatch_request& r,
                             const codec::signing_key* key);
result<code_record> receive(connection& c, const context& ctx, code_id code);
result<sale_check_result> sale_check(connection& c, const context& ctx,
                                     const sale_check_request& r);

// A batch of them (ops_batch.cpp): each line in its own savepoint and under its reference.
result<batch_result> batch(connection& c, const context& ctx, const batch_request& r,
                           const codec::signing_key* key);

// What a scanned code stands for, optionally as shown at a unit (wrong_holder applies then).
struct judgement {
  coldtrace::verdict verdict = coldtrace::verdict::unknown;
  std::optional<code_record> code;  // set when the bytes are a code of ours, byte for byte
  std::optional<lot_record> lot;
};
judgement judge(connection& c, bytes_view scanned, std::optional<unit_id> at_unit);
// A scan as sale checks and inspections take it: under a foreign host it is forged; a printed
// number is the code with its id when the number's tag is that code's, forged otherwise.
judgement judge_scan(connection& c, const scan& scanned, std::optional<unit_id> at_unit);
// The verdict for an authentic code of `lot`; the order of the checks is the order of
// precedence (a recall outranks everything).
coldtrace::verdict decide(const lot_record& lot, const code_record& code,
                          std::optional<unit_id> at_unit);
// The ancestors of a code, root first, without the code itself.
std::vector<trace_node> ancestors(connection& c, const code_record& code);

// Signs and stores a new code: `draft` holds lot, parent, split path, holder, quantity,
// status and times; the id is allocated here.
result<code_record> issue_code(connection& c, const codec::signing_key* key, code_record draft,
                               const lot_record& lot);

// ---- recalls (ops_recalls.cpp, ops_recall_reads.cpp) -------------------------------------
result<recall_result> recall(connection& c, const context& ctx, const recall_request& r);
// After a positive result: opens a proposal for the bureau unless the lot has one open or is
// recalled already.
void propose_recall(connection& c, const context& ctx, lot_id lot, sample_id sample);
result<recall_proposal> dismiss_proposal(connection& c, const context& ctx,
                                         const proposal_dismissal& r);
result<recall_view> mark_recall_seen(connection& c, const context& ctx, std::int64_t recall);
result<recall_view> respond_recall(connection& c, const context& ctx,
                                   const recall_response_request& r);
result<recall_view> get_recall(connection& c, const actor& by, std::int64_t recall, time_point now);
result<std::vector<recall_view>> list_recalls(connection& c, const actor& by, time_point now,
                                              bool open_only, page p);
result<recall_proposal> get_proposal(connection& c, std::int64_t id);
result<std::vector<recall_proposal>> list_proposals(connection& c, const actor& by, bool open_only,
                                                    page p);
result<export_table> recall_export(connection& c, const actor& by, std::int64_t recall,
                                   time_point now);
// When a recall covers the code (of its lot, or of an ancestor consignment): the earliest.
std::optional<time_point> recall_covering(connection& c, const code_record& code);
// The codes (aliased c) under recall ?1 (aliased rs): " JOIN ... WHERE ...", to append to.
std::string_view recall_scope_sql();

// ---- the regulator (ops_regulate.cpp) ----------------------------------------------------
result<inspection_record> record_inspection(connection& c, const context& ctx,
                                            const inspection_request& r);
result<std::vector<inspection_record>> list_inspections(connection& c, const actor& by,
                                                        std::optional<unit_id> unit, page p);

// ---- reads (queries.cpp, trace.cpp, stats.cpp) --------------------------------------------
verification verify(connection& c, bytes_view code, std::optional<unit_id> at_unit = std::nullopt);
verification verify_scan(connection& c, const scan& s, std::optional<unit_id> at_unit);
blocked_list blocked(connection& c);
result<lot_detail> get_lot(connection& c, const actor& by, lot_id lot);
result<std::vector<lot_record>> list_lots(connection& c, const actor& by, const lot_filter& f,
                                          page p);
result<code_record> get_code(connection& c, const actor& by, code_id code);
result<std::vector<code_record>> list_codes(connection& c, const actor& by,
                                            std::optional<code_status> s, page p);
result<std::vector<sale_record>> list_sales(connection& c, const actor& by, page p);
std::vector<unit_record> list_units(connection& c, page p);
std::vector<unit_record> find_units(connection& c, std::string_view text, page p);
result<trace_result> trace_code(connection& c, const actor& by, code_id code);
result<trace_result> trace_lot(connection& c, const actor& by, lot_id lot);
std::vector<trace_node> chain_of(connection& c, const code_record& code);
result<stats_report> stats(connection& c, const actor& by, const stats_range& range);
// Fills the report's figures by category, units registered and recall progress
// (stats_categories.cpp); the report's intake and units_by_kind are read first.
void category_stats(connection& c, const stats_range& range, stats_report& s);
// The counter's reads (counter.cpp).
result<unit_stock> stock(connection& c, const actor& by, unit_id unit);
result<unit_day> counter_day(connection& c, const actor& by, unit_id unit, time_point from,
                             time_point to);

// Scans counted in memory between two folds: (day, kind, verdict) -> n, and for the count of
// distinct codes, (day, kind, code) -> n.
struct scan_tallies {
  std::map<std::tuple<std::int64_t, scan_kind, verdict>, std::int64_t> scans;
  std::map<std::tuple<std::int64_t, scan_kind, code_id>, std::int64_t> codes;
};

// Folds the tallies into the database (writer, background).
void add_scan_counts(connection& c, const scan_tallies& t);

}  // namespace coldtrace::storage::sql::ops
