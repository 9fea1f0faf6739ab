// People's passwords and sessions (sign-in by name and password), beside the ledger's
// interface: the ledgers that keep them (both backends' sql::ledger_impl) implement
// session_store too, and sessions_of() finds it. Passwords are hashed with Argon2id before
// they reach the writer (storage/password.hpp) and never stored, logged or put in an event as
// they are; a session token is shown once and stored as its SHA-256, like a bearer token, and
// is one itself ("cs_" and 43 base64url characters) for ledger::authenticate.
#pragma once

#include "storage/ledger.hpp"

namespace coldtrace::storage {

// How long a person's session lasts after sign-in.
inline constexpr std::chrono::hours session_lifetime{12};

// A person's password, set by an admin or by the account itself.
struct password_request {
  account_id account = 0;
  std::string password;
};

// Sign-in by the account's name and its password.
struct sign_in_request {
  std::string name;
  std::string password;
};

// The session token is returned once, here.
struct issued_session {
  account_record account;
  std::int64_t session = 0;
  std::string token;
  time_point expires_at{};
};

class session_store {
 public:
  virtual ~session_store() = default;

  // Admin, or the account itself (another account answers not_found). Ends the account's
  // open sessions. The name that signs in is the account's name: another account with the
  // same name and a password is a duplicate.
  virtual void async_set_password(const context& c, password_request r,
                                  completion<account_record> done) = 0;
  // Nobody is signed in yet: only `c.at` counts. An unknown name and a wrong password are both
  // unauthenticated, in the same words.
  virtual void async_sign_in(const context& c, sign_in_request r,
                             completion<issued_session> done) = 0;
  // The session whose token `c.by` signed the request with (sign-out); a bearer token is
  // invalid_input. Answers the session's id.
  virtual void async_end_session(const context& c, std::string token,
                                 completion<std::int64_t> done) = 0;
  // Admin, or the account itself: ends all its sessions and answers how many were open.
  virtual void async_revoke_sessions(const context& c, account_id a,
                                     completion<std::int64_t> done) = 0;

  // ---- blocking forms --------------------------------------------------------------------
  result<account_record> set_password(const context& c, password_request r) {
    return wait<account_record>([&](auto k) { async_set_password(c, std::move(r), k); });
  }
  result<issued_session> sign_in(const context& c, sign_in_request r) {
    return wait<issued_session>([&](auto k) { async_sign_in(c, std::move(r), k); });
  }
  result<std::int64_t> end_session(const context& c, std::string token) {
    return wait<std::int64_t>([&](auto k) { async_end_session(c, std::move(token), k); });
  }
  result<std::int64_t> revoke_sessions(const context& c, account_id a) {
    return wait<std::int64_t>([&](auto k) { async_revoke_sessions(c, a, k); });
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

// The ledger's session store; not_found (for a ledger that keeps none) as an error.
result<session_store*> sessions_of(ledger& l);

}  // namespace coldtrace::storage
