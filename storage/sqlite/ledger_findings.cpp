// The ledger's side of inspection findings: writes to the writer, reads on a reader.
#include "storage/sqlite/ledger_impl.hpp"
#include "storage/sqlite/ops_findings.hpp"

namespace coldtrace::storage::sql {

void ledger_impl::async_attach_photo(const context& c, photo_request r,
                                     completion<finding_record> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::attach_photo(db, c, r); });
}

void ledger_impl::async_follow_up(const context& c, follow_up_request r,
                                  completion<finding_record> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::follow_up(db, c, r); });
}

result<std::vector<finding_record>> ledger_impl::list_findings(const actor& by, findings_query q,
                                                               page p) {
  if (p.limit <= 0 || p.limit > 1000)
    return fail(errc::invalid_input, "a page holds 1 to 1000 rows");
  if (p.after < 0) return fail(errc::invalid_input, "a page starts after a row id >= 0");
  return read([&](connection& c) { return ops::list_findings(c, by, q, p); });
}

result<photo> ledger_impl::finding_photo(const actor& by, std::int64_t finding) {
  return read([&](connection& c) { return ops::finding_photo(c, by, finding); });
}

}  // namespace coldtrace::storage::sql
