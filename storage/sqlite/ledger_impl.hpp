// The SQLite ledger: every write becomes a job for the group-commit writer, every read leases
// a reader connection. The rules live in ops_*.cpp; this class only routes.
#pragma once

#include "storage/sessions.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/readers.hpp"
#include "storage/sqlite/wal_keeper.hpp"
#include "storage/sqlite/writer.hpp"
#include "storage/sqlite_ledger.hpp"

#include <map>
#include <optional>
#include <type_traits>

namespace coldtrace::storage::sql {

template <class T>
struct as_result {
  using type = result<T>;
};
template <class T>
struct as_result<result<T>> {
  using type = result<T>;
};

class ledger_impl final : public sqlite_ledger, public session_store {
 public:
  ledger_impl(sqlite_options options, connection write_connection);
  // Readers from `open_reader` rather than options.file (PostgreSQL's connections).
  ledger_impl(sqlite_options options, connection write_connection,
              std::function<connection()> open_reader);
  ~ledger_impl() override;

  void set_signing_key(std::shared_ptr<const codec::signing_key> key) override;
  void close() override;

  void async_register_unit(const context& c, unit_request r, completion<unit_record> done) override;
  void async_create_account(const context& c, account_request r,
                            completion<issued_token> done) override;
  void async_rotate_token(const context& c, account_id a, completion<issued_token> done) override;
  void async_revoke_token(const context& c, account_id a, completion<account_record> done) override;
  void async_set_password(const context& c, password_request r,
                          completion<account_record> done) override;
  void async_sign_in(const context& c, sign_in_request r, completion<issued_session> done) override;
  void async_end_session(const context& c, std::string token,
                         completion<std::int64_t> done) override;
  void async_revoke_sessions(const context& c, account_id a,
                             completion<std::int64_t> done) override;
  void async_intake(const context& c, intake_request r, completion<intake_result> done) override;
  void async_add_sample(const context& c, sample_request r,
                        completion<sample_record> done) override;
  void async_record_result(const context& c, result_request r,
                           completion<sample_record> done) override;
  void async_record_disinfection(const context& c, disinfection_request r,
                                 completion<disinfection_record> done) override;
  void async_release(const context& c, lot_id lot, completion<lot_record> done) override;
  void async_dispatch(const context& c, dispatch_request r, completion<code_record> done) override;
  void async_receive(const context& c, code_id code, completion<code_record> done) override;
  void async_sale_check(const context& c, sale_check_request r,
                        completion<sale_check_result> done) override;
  void async_batch(const context& c, batch_request r, completion<batch_result> done) override;
  void async_recall(const context& c, recall_request r, completion<recall_result> done) override;
  void async_record_inspection(const context& c, inspection_request r,
                               completion<inspection_record> done) override;
  // Findings (ledger_findings.cpp).
  void async_attach_photo(const context& c, photo_request r,
                          completion<finding_record> done) override;
  void async_follow_up(const context& c, follow_up_request r,
                       completion<finding_record> done) override;
  result<std::vector<finding_record>> list_findings(const actor& by, findings_query q,
                                                    page p) override;
  result<photo> finding_photo(const actor& by, std::int64_t finding) override;
  // Recalls' follow-up (ledger_recalls.cpp).
  void async_dismiss_proposal(const context& c, proposal_dismissal r,
                              completion<recall_proposal> done) override;
  void async_mark_recall_seen(const context& c, std::int64_t recall,
                              completion<recall_view> done) override;
  void async_respond_recall(const context& c, recall_response_request r,
                            completion<recall_view> done) override;
  result<std::vector<recall_view>> list_recalls(const actor& by, time_point now, bool open_only,
                                                page p) override;
  result<recall_view> get_recall(const actor& by, std::int64_t recall, time_point now) override;
  result<std::vector<recall_proposal>> list_recall_proposals(const actor& by, bool open_only,
                                                             page p) override;
  result<export_table> export_recall(const actor& by, std::int64_t recall, time_point now) override;

  result<actor> authenticate(std::string_view token) override;
  result<verification> verify(bytes_view code) override;
  result<verification> verify_scan(const scan& s, std::optional<unit_id> at_unit) override;
  result<blocked_list> blocked() override;
  result<unit_record> get_unit(unit_id id) override;
  result<std::vector<unit_record>> list_units(page p) override;
  result<std::vector<unit_record>> find_units(std::string_view text, page p) override;
  result<std::vector<account_record>> list_accounts(const actor& by, unit_id unit) override;
  result<lot_detail> get_lot(const actor& by, lot_id lot) override;
  result<std::vector<lot_record>> list_lots(const actor& by, const lot_filter& f, page p) override;
  result<code_record> get_code(const actor& by, code_id code) override;
  result<std::vector<code_record>> list_codes(const actor& by, std::optional<code_status> s,
                                              page p) override;
  result<std::vector<sale_record>> list_sales(const actor& by, page p) override;
  result<trace_result> trace_code(const actor& by, code_id code) override;
  result<trace_result> trace_lot(const actor& by, lot_id lot) override;
  result<std::vector<inspection_record>> list_inspections(const actor& by,
                                                          std::optional<unit_id> unit,
                                                          page p) override;
  result<stats_report> stats(const actor& by, stats_range range) override;
  result<unit_stock> stock(const actor& by, unit_id unit) override;
  result<unit_day> counter_day(const actor& by, unit_id unit, time_point from,
                               time_point to) override;
  result<std::vector<event_record>> list_events(const actor& by, page p) override;
  result<event_feed> feed(const actor& by, page p) override;
  result<std::vector<export_table>> export_records(const actor& by, export_query q) override;
  result<supply_history> supply_steps(const actor& by, export_query q) override;
  result<chain_report> verify_chain() override;
  result<checkpoint> latest_checkpoint() override;
  commit_stats writer_stats() const override;
  // On PostgreSQL other servers commit too, and this writer's count misses their commits: no
  // generation, so that no answer is kept (a recall made elsewhere is seen at once).
  std::optional<std::uint64_t> generation() const override {
    if (shared_database_) return std::nullopt;
    return writer_->generation();
  }
  void count_scan(time_point at, scan_kind kind, verdict v, std::optional<code_id> code) override;

 private:
  template <class T, class F>
  void submit(completion<T> done, F&& body) {
    writer_->submit(std::make_unique<op_job<T>>(std::forward<F>(body), std::move(done)));
  }
  // Runs a read on a leased connection; SQLite failures become errc::storage_failure.
  template <class F>
  typename as_result<std::invoke_result_t<F&, connection&>>::type read(F&& f) {
    std::optional<readers::lease> lease;
    try {
      lease.emplace(readers_.acquire());
      return f(**lease);
    } catch (const std::exception& e) {
      if (lease) lease->discard_snapshot();
      return fail(errc::storage_failure, e.what());
    }
  }

  std::shared_ptr<const codec::signing_key> key() const;
  bool counts_pending() const;
  void flush_counts(connection& c);

  sqlite_options options_;
  readers readers_;
  wal_keeper wal_;
  mutable std::mutex key_mutex_;
  std::shared_ptr<const codec::signing_key> key_;
  mutable std::mutex counts_mutex_;
  ops::scan_tallies counts_;
  bool shared_database_ = false;    // PostgreSQL: other processes commit to it
  std::unique_ptr<writer> writer_;  // last: its thread uses the members above
};

}  // namespace coldtrace::storage::sql
