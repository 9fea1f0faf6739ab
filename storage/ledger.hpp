// The ledger: one function per domain operation (DESIGN §2). The server and the CLI see only
// this interface; the SQLite implementation lives behind open_sqlite_ledger, and another
// backend (PostgreSQL) can implement it later without touching them.
//
// Writes are asynchronous: the completion runs exactly once, on the ledger's writer thread,
// after the operation is durable (or has failed); keep it short, e.g. post to an executor.
// Each write enforces its rules in one transaction that also appends to the audit chain; on
// any error nothing has changed. The blocking forms (without async_) are for tools and tests;
// never call one from a completion (it would wait for the thread it runs on).
//
// Reads are synchronous, run on their own connections, and never wait for the writer.
// Visibility: admins and inspectors read everything; other accounts see their own unit's
// records, and another unit's record answers not_found.
#pragma once

#include "storage/checkpoints.hpp"
#include "storage/counter.hpp"
#include "storage/error.hpp"
#include "storage/exports.hpp"
#include "storage/recalls.hpp"
#include "storage/reports.hpp"
#include "storage/requests.hpp"
#include "storage/supply.hpp"

#include <cstdint>
#include <functional>
#include <future>
#include <optional>

namespace coldtrace::storage {

template <class T>
using completion = std::function<void(result<T>)>;

class ledger {
 public:
  virtual ~ledger() = default;

  // ---- writes --------------------------------------------------------------------------
  // Admin: units and accounts. A unit's staff may rotate or revoke their own token.
  virtual void async_register_unit(const context& c, unit_request r,
                                   completion<unit_record> done) = 0;
  virtual void async_create_account(const context& c, account_request r,
                                    completion<issued_token> done) = 0;
  virtual void async_rotate_token(const context& c, account_id a,
                                  completion<issued_token> done) = 0;
  virtual void async_revoke_token(const context& c, account_id a,
                                  completion<account_record> done) = 0;

  // Warehouse staff, at their own warehouse.
  virtual void async_intake(const context& c, intake_request r, completion<intake_result> done) = 0;
  virtual void async_add_sample(const context& c, sample_request r,
                                completion<sample_record> done) = 0;
  // A positive result quarantines the lot at once.
  virtual void async_record_result(const context& c, result_request r,
                                   completion<sample_record> done) = 0;
  virtual void async_record_disinfection(const context& c, disinfection_request r,
                                         completion<disinfection_record> done) = 0;
  virtual void async_release(const context& c, lot_id lot, completion<lot_record> done) = 0;

  // The holder's staff (warehouse or downstream unit).
  virtual void async_dispatch(const context& c, dispatch_request r,
                              completion<code_record> done) = 0;
  virtual void async_receive(const context& c, code_id code, completion<code_record> done) = 0;
  // Every check is recorded (denials are findings for the statistics).
  virtual void async_sale_check(const context& c, sale_check_request r,
                                completion<sale_check_result> done) = 0;

  // A unit's batch of receipts, dispatches and sales (requests.hpp), one result per line.
  // The batch as a whole fails only when it could not run (storage_failure, shutting_down).
  virtual void async_batch(const context& c, batch_request r, completion<batch_result> done) = 0;

  // Admins and inspectors.
  virtual void async_recall(const context& c, recall_request r, completion<recall_result> done) = 0;
  // Admins and inspectors: a positive result's recall proposal declined, with the reason.
  virtual void async_dismiss_proposal(const context& c, proposal_dismissal r,
                                      completion<recall_proposal> done) = 0;
  // A holder's staff (recalls.hpp): that the unit has seen a recall (the first time counts),
  // and what it did with what it held; another unit's recall is not_found.
  virtual void async_mark_recall_seen(const context& c, std::int64_t recall,
                                      completion<recall_view> done) = 0;
  virtual void async_respond_recall(const context& c, recall_response_request r,
                                    completion<recall_view> done) = 0;
  // Inspectors.
  virtual void async_record_inspection(const context& c, inspection_request r,
                                       completion<inspection_record> done) = 0;
  // The inspector who recorded a finding: its photo (JPEG or PNG by its bytes, at most
  // max_photo_bytes; one per finding). Any inspector: the follow-up that closes a finding.
  virtual void async_attach_photo(const context& c, photo_request r,
                                  completion<finding_record> done) = 0;
  virtual void async_follow_up(const context& c, follow_up_request r,
                               completion<finding_record> done) = 0;

  // ---- reads ---------------------------------------------------------------------------
  virtual result<actor> authenticate(std::string_view token) = 0;

  // Public: authenticates the bytes by exact match with the stored code. Not counted: the
  // caller knows whether this was a scan, and whose (count_scan).
  virtual result<verification> verify(bytes_view code) = 0;
  // Public: a scan (bytes, or a printed number) judged as verify does, and at `at_unit` when
  // given, as an inspection there would judge it (a code held elsewhere is wrong_holder).
  virtual result<verification> verify_scan(const scan& s, std::optional<unit_id> at_unit) = 0;
  // Public: what offline verifiers must refuse (recalled, quarantined and unreleased lots),
  // and the highest lot and code ids it covers.
  virtual result<blocked_list> blocked() = 0;

  virtual result<unit_record> get_unit(unit_id id) = 0;
  virtual result<std::vector<unit_record>> list_units(page p) = 0;
  // The units whose name contains `text`, or whose credit code starts with it (any case).
  virtual result<std::vector<unit_record>> find_units(std::string_view text, page p) = 0;
  virtual result<std::vector<account_record>> list_accounts(const actor& by, unit_id unit) = 0;
  virtual result<lot_detail> get_lot(const actor& by, lot_id lot) = 0;
  // The caller's lots (a warehouse's own; every lot for regulators), narrowed by the filter.
  virtual result<std::vector<lot_record>> list_lots(const actor& by, const lot_filter& f,
                                                    page p) = 0;
  virtual result<code_record> get_code(const actor& by, code_id code) = 0;
  // The codes the caller's unit holds (or is about to receive, with status pending).
  virtual result<std::vector<code_record>> list_codes(const actor& by, std::optional<code_status> s,
                                                      page p) = 0;
  virtual result<std::vector<sale_record>> list_sales(const actor& by, page p) = 0;
  // The counter (counter.hpp): a unit's stock by code, and its sale checks in [from, to).
  // The unit's own warehouse staff or operators, and regulators (what an inspector expects to
  // find on the shelf); anyone else is forbidden.
  virtual result<unit_stock> stock(const actor& by, unit_id unit) = 0;
  virtual result<unit_day> counter_day(const actor& by, unit_id unit, time_point from,
                                       time_point to) = 0;
  virtual result<trace_result> trace_code(const actor& by, code_id code) = 0;
  virtual result<trace_result> trace_lot(const actor& by, lot_id lot) = 0;
  virtual result<std::vector<inspection_record>> list_inspections(const actor& by,
                                                                  std::optional<unit_id> unit,
                                                                  page p) = 0;
  virtual result<stats_report> stats(const actor& by, stats_range range) = 0;
  // Admins and inspectors (findings.hpp): the bureau's list of findings, and a finding's photo.
  virtual result<std::vector<finding_record>> list_findings(const actor& by, findings_query q,
                                                            page p) = 0;
  virtual result<photo> finding_photo(const actor& by, std::int64_t finding) = 0;
  // Recalls as `by` may see them: regulators every recall, every holder and the sales made
  // before it; a holder the recalls it was notified of (open: not acted on yet), its own row
  // only. `now` decides who is overdue.
  virtual result<std::vector<recall_view>> list_recalls(const actor& by, time_point now,
                                                        bool open_only, page p) = 0;
  virtual result<recall_view> get_recall(const actor& by, std::int64_t recall, time_point now) = 0;
  // Admins and inspectors: the proposals positive results opened (open ones only, or all).
  virtual result<std::vector<recall_proposal>> list_recall_proposals(const actor& by,
                                                                     bool open_only, page p) = 0;
  // Admins and inspectors: a recall's holders as a table for people (CSV, XLSX).
  virtual result<export_table> export_recall(const actor& by, std::int64_t recall,
                                             time_point now) = 0;
  // Admins and inspectors: the audit chain, oldest first.
  virtual result<std::vector<event_record>> list_events(const actor& by, page p) = 0;
  // Admins and inspectors: the change feed, the events after `p.after` and the chain's head.
  // An `after` beyond the head is invalid_input: the consumer has seen a longer chain.
  virtual result<event_feed> feed(const actor& by, page p) = 0;
  // Exports for people (exports.hpp): regulators any unit or all units; anyone else its own
  // unit's records only (another unit is forbidden). One lot's export answers not_found when
  // the caller may see nothing of the lot.
  virtual result<std::vector<export_table>> export_records(const actor& by, export_query q) = 0;
  // The lifecycle as steps, for EPCIS (supply.hpp): the same selection and visibility as
  // export_records (`q.kinds` is not read).
  virtual result<supply_history> supply_steps(const actor& by, export_query q) = 0;
  virtual result<chain_report> verify_chain() = 0;
  // Public: the latest signed checkpoint of the chain head (checkpoints.hpp); not_found when
  // none has been signed yet.
  virtual result<checkpoint> latest_checkpoint() = 0;
  virtual commit_stats writer_stats() const = 0;

  // ---- for caches of public answers (server/answer_cache.hpp) ----------------------------
  // A number that changes, before any write is acknowledged, with every commit of an
  // operation: read it before a read, and an answer made from that read is current while the
  // number is unchanged. Read without a lock. Nothing: this ledger cannot say, and answers
  // must not be kept. Commits by another process are not counted (a reader's snapshot misses
  // them for up to sqlite_options::snapshot_reuse too).
  virtual std::optional<std::uint64_t> generation() const { return std::nullopt; }
  // Counts a scan for the statistics, by day of `at`, kind and verdict, and the code scanned
  // (when it is one the ledger issued) for the count of distinct codes. Kept in memory and
  // folded in by the writer.
  virtual void count_scan(time_point at, scan_kind kind, verdict v,
                          std::optional<code_id> code) = 0;

  // ---- blocking forms ------------------------------------------------------------------
  result<unit_record> register_unit(const context& c, unit_request r) {
    return wait<unit_record>([&](auto k) { async_register_unit(c, std::move(r), k); });
  }
  result<issued_token> create_account(const context& c, account_request r) {
    return wait<issued_token>([&](auto k) { async_create_account(c, std::move(r), k); });
  }
  result<issued_token> rotate_token(const context& c, account_id a) {
    return wait<issued_token>([&](auto k) { async_rotate_token(c, a, k); });
  }
  result<account_record> revoke_token(const context& c, account_id a) {
    return wait<account_record>([&](auto k) { async_revoke_token(c, a, k); });
  }
  result<intake_result> intake(const context& c, intake_request r) {
    return wait<intake_result>([&](auto k) { async_intake(c, std::move(r), k); });
  }
  result<sample_record> add_sample(const context& c, sample_request r) {
    return wait<sample_record>([&](auto k) { async_add_sample(c, std::move(r), k); });
  }
  result<sample_record> record_result(const context& c, result_request r) {
    return wait<sample_record>([&](auto k) { async_record_result(c, std::move(r), k); });
  }
  result<disinfection_record> record_disinfection(const context& c, disinfection_request r) {
    return wait<disinfection_record>(
        [&](auto k) { async_record_disinfection(c, std::move(r), k); });
  }
  result<lot_record> release(const context& c, lot_id lot) {
    return wait<lot_record>([&](auto k) { async_release(c, lot, k); });
  }
  result<code_record> dispatch(const context& c, dispatch_request r) {
    return wait<code_record>([&](auto k) { async_dispatch(c, std::move(r), k); });
  }
  result<code_record> receive(const context& c, code_id code) {
    return wait<code_record>([&](auto k) { async_receive(c, code, k); });
  }
  result<sale_check_result> sale_check(const context& c, sale_check_request r) {
    return wait<sale_check_result>([&](auto k) { async_sale_check(c, std::move(r), k); });
  }
  result<batch_result> batch(const context& c, batch_request r) {
    return wait<batch_result>([&](auto k) { async_batch(c, std::move(r), k); });
  }
  result<recall_result> recall(const context& c, recall_request r) {
    return wait<recall_result>([&](auto k) { async_recall(c, std::move(r), k); });
  }
  result<recall_proposal> dismiss_proposal(const context& c, proposal_dismissal r) {
    return wait<recall_proposal>([&](auto k) { async_dismiss_proposal(c, std::move(r), k); });
  }
  result<recall_view> mark_recall_seen(const context& c, std::int64_t recall) {
    return wait<recall_view>([&](auto k) { async_mark_recall_seen(c, recall, k); });
  }
  result<recall_view> respond_recall(const context& c, recall_response_request r) {
    return wait<recall_view>([&](auto k) { async_respond_recall(c, std::move(r), k); });
  }
  result<inspection_record> record_inspection(const context& c, inspection_request r) {
    return wait<inspection_record>([&](auto k) { async_record_inspection(c, std::move(r), k); });
  }
  result<finding_record> attach_photo(const context& c, photo_request r) {
    return wait<finding_record>([&](auto k) { async_attach_photo(c, std::move(r), k); });
  }
  result<finding_record> follow_up(const context& c, follow_up_request r) {
    return wait<finding_record>([&](auto k) { async_follow_up(c, std::move(r), k); });
  }

 private:
  template <class T, class Start>
  static result<T> wait(Start&& start) {
    auto promise = std::make_shared<std::promise<result<T>>>();
    auto future = promise->get_future();
    start(completion<T>([promise](result<T> r) { promise->set_value(std::move(r)); }));
    return future.get();
  }
};

}  // namespace coldtrace::storage
