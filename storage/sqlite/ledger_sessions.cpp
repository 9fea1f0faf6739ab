// The ledger's passwords and sessions. The slow parts (Argon2id hashing and verifying) run on
// the caller's thread before the job reaches the writer, so they never hold up a batch.
#include "storage/digest.hpp"
#include "storage/password.hpp"
#include "storage/sqlite/ledger_impl.hpp"
#include "storage/sqlite/ops.hpp"

namespace coldtrace::storage::sql {
namespace {

error wrong_name_or_password() {
  // The same words for an unknown name and a wrong password: names are not to be probed.
  return fail(errc::unauthenticated, "the name or the password is wrong", "signin.wrong", {});
}

}  // namespace

void ledger_impl::async_set_password(const context& c, password_request r,
                                     completion<account_record> done) {
  auto hash = hash_password(r.password);
  if (!hash) return done(hash.error());
  submit(std::move(done), [c, a = r.account, h = std::move(*hash)](connection& db) {
    return ops::set_password(db, c, a, h);
  });
}

void ledger_impl::async_sign_in(const context& c, sign_in_request r,
                                completion<issued_session> done) {
  auto found = read([&](connection& db) -> result<std::optional<ops::password_row>> {
    return ops::find_password(db, r.name);
  });
  if (!found) return done(found.error());
  if (!*found) {
    verify_nothing(r.password);
    return done(wrong_name_or_password());
  }
  if (!verify_password((*found)->hash, r.password)) return done(wrong_name_or_password());
  auto account = std::move((*found)->account);
  context as = c;
  as.by = actor{account.id, account.unit, account.role};
  submit(std::move(done), [as, account = std::move(account)](connection& db) {
    return ops::open_session(db, as, account, new_session_token());
  });
}

void ledger_impl::async_end_session(const context& c, std::string token,
                                    completion<std::int64_t> done) {
  submit(std::move(done),
         [c, t = std::move(token)](connection& db) { return ops::end_session(db, c, t); });
}

void ledger_impl::async_revoke_sessions(const context& c, account_id a,
                                        completion<std::int64_t> done) {
  submit(std::move(done), [c, a](connection& db) { return ops::revoke_sessions(db, c, a); });
}

}  // namespace coldtrace::storage::sql

namespace coldtrace::storage {

result<session_store*> sessions_of(ledger& l) {
  if (auto* s = dynamic_cast<session_store*>(&l)) return s;
  return fail(errc::not_found, "this ledger keeps no passwords or sessions");
}

}  // namespace coldtrace::storage
