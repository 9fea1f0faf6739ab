// The SQLite ledger's side of recalls' follow-up: writes to the writer, reads on a reader.
#include "storage/sqlite/ledger_impl.hpp"
#include "storage/sqlite/ops.hpp"

namespace coldtrace::storage::sql {
namespace {

std::optional<error> check_recall_page(const page& p) {
  if (p.limit <= 0 || p.limit > 1000)
    return fail(errc::invalid_input, "a page holds 1 to 1000 rows");
  if (p.after < 0) return fail(errc::invalid_input, "a page starts after a row id >= 0");
  return std::nullopt;
}

}  // namespace

void ledger_impl::async_dismiss_proposal(const context& c, proposal_dismissal r,
                                         completion<recall_proposal> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::dismiss_proposal(db, c, r); });
}

void ledger_impl::async_mark_recall_seen(const context& c, std::int64_t recall,
                                         completion<recall_view> done) {
  submit(std::move(done),
         [c, recall](connection& db) { return ops::mark_recall_seen(db, c, recall); });
}

void ledger_impl::async_respond_recall(const context& c, recall_response_request r,
                                       completion<recall_view> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::respond_recall(db, c, r); });
}

result<std::vector<recall_view>> ledger_impl::list_recalls(const actor& by, time_point now,
                                                           bool open_only, page p) {
  if (auto e = check_recall_page(p)) return *e;
  return read([&](connection& c) { return ops::list_recalls(c, by, now, open_only, p); });
}

result<recall_view> ledger_impl::get_recall(const actor& by, std::int64_t recall, time_point now) {
  return read([&](connection& c) { return ops::get_recall(c, by, recall, now); });
}

result<std::vector<recall_proposal>> ledger_impl::list_recall_proposals(const actor& by,
                                                                        bool open_only, page p) {
  if (auto e = check_recall_page(p)) return *e;
  return read([&](connection& c) { return ops::list_proposals(c, by, open_only, p); });
}

result<export_table> ledger_impl::export_recall(const actor& by, std::int64_t recall,
                                                time_point now) {
  return read([&](connection& c) { return ops::recall_export(c, by, recall, now); });
}

}  // namespace coldtrace::storage::sql
