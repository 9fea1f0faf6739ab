// Passwords and sessions: people sign in with their account's name and a password (Argon2id),
// and get a session token that expires and can be ended.
#include "storage/sessions.hpp"
#include "storage/password.hpp"
#include "tests/storage/fixture.hpp"

#include <catch2/catch.hpp>

namespace coldtrace::storage::test {
namespace {

// Sessions expire by the wall clock, so sign-ins happen at a real time, not the fixture's.
context real(const actor& a, std::chrono::seconds shift = {}) {
  return {a, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + shift};
}

session_store& store(fixture& f) {
  return *sessions_of(*f.ledger).value();
}

}  // namespace

TEST_CASE("a password is kept as an Argon2id hash that verifies it and no other",
          "[storage][sessions]") {
  const auto hash = must(hash_password("correct horse battery"));
  CHECK(hash.starts_with("$argon2id$"));
  CHECK(hash.find("correct horse") == std::string::npos);
  CHECK(verify_password(hash, "correct horse battery"));
  CHECK_FALSE(verify_password(hash, "correct horse batterY"));
  CHECK_FALSE(verify_password("not a hash", "correct horse battery"));
  // Each hash has its own salt.
  CHECK(must(hash_password("correct horse battery")) != hash);
  SECTION("too short, too long, or with control characters: refused") {
    CHECK_ERRC(hash_password("short"), errc::invalid_input);
    CHECK_ERRC(hash_password(std::string(129, 'a')), errc::invalid_input);
    CHECK_ERRC(hash_password("tab\tinside it"), errc::invalid_input);
  }
}

TEST_CASE("a person signs in with name and password and gets a session token",
          "[storage][sessions]") {
  fixture f;
  must(store(f).set_password(f.as(f.admin), {f.shop.account, "天平路 2024 fresh"}));
  // Only the hash is stored, and no event carries it.
  CHECK(f.text("SELECT hash FROM passwords").starts_with("$argon2id$"));
  CHECK(f.scalar("SELECT count(*) FROM events WHERE data LIKE '%argon2%' OR data LIKE '%fresh%'") ==
        0);
  CHECK(f.scalar("SELECT count(*) FROM events WHERE type = 'account.password'") == 1);

  const auto s = must(store(f).sign_in(real({}), {"刘洋", "天平路 2024 fresh"}));
  CHECK(s.token.starts_with("cs_"));
  CHECK(s.token.size() == 46);
  CHECK(s.account.id == f.shop.account);
  // Only the token's SHA-256 is kept.
  CHECK(f.scalar("SELECT count(*) FROM sessions WHERE length(token_sha256) = 32") == 1);
  const auto by = must(f.ledger->authenticate(s.token));
  CHECK(by.account == f.shop.account);
  CHECK(by.unit == f.shop_unit);
  CHECK(by.role == account_role::unit_operator);
  // The bearer token still works beside it (machines).
  CHECK(must(f.ledger->authenticate(f.shop_token)).account == f.shop.account);

  SECTION("a wrong password and an unknown name answer alike, and open nothing") {
    const auto before = f.snapshot();
    auto wrong = store(f).sign_in(real({}), {"刘洋", "天平路 2024 Fresh"});
    CHECK_ERRC(wrong, errc::unauthenticated);
    auto unknown = store(f).sign_in(real({}), {"nobody", "天平路 2024 fresh"});
    CHECK_ERRC(unknown, errc::unauthenticated);
    CHECK(wrong.error().message == unknown.error().message);
    CHECK(f.snapshot() == before);
  }
  SECTION("signing out ends the session; the bearer token is not a session") {
    context out = real(by);
    CHECK(must(store(f).end_session(out, s.token)) == s.session);
    CHECK_ERRC(f.ledger->authenticate(s.token), errc::unauthenticated);
    CHECK_ERRC(store(f).end_session(out, s.token), errc::not_found);
    CHECK_ERRC(store(f).end_session(real(f.shop), f.shop_token), errc::invalid_input);
  }
  SECTION("an admin ends all of a person's sessions; others may not") {
    const auto second = must(store(f).sign_in(real({}), {"刘洋", "天平路 2024 fresh"}));
    CHECK_ERRC(store(f).revoke_sessions(f.as(f.wholesaler), f.shop.account), errc::not_found);
    CHECK(must(store(f).revoke_sessions(f.as(f.admin), f.shop.account)) == 2);
    CHECK_ERRC(f.ledger->authenticate(s.token), errc::unauthenticated);
    CHECK_ERRC(f.ledger->authenticate(second.token), errc::unauthenticated);
    CHECK(f.scalar("SELECT count(*) FROM events WHERE type = 'account.sessions_revoke'") == 1);
  }
  SECTION("a new password ends the sessions of the old one") {
    must(store(f).set_password(f.as(f.shop), {f.shop.account, "another long one"}));
    CHECK_ERRC(f.ledger->authenticate(s.token), errc::unauthenticated);
    CHECK_ERRC(store(f).sign_in(real({}), {"刘洋", "天平路 2024 fresh"}), errc::unauthenticated);
    must(store(f).sign_in(real({}), {"刘洋", "another long one"}));
  }
}

TEST_CASE("the audit replay of passwords and sessions matches the state",
          "[storage][sessions][sqlite]") {
  fixture f;
  must(store(f).set_password(f.as(f.admin), {f.shop.account, "天平路 2024 fresh"}));
  must(store(f).sign_in(real({}), {"刘洋", "天平路 2024 fresh"}));
  must(store(f).revoke_sessions(f.as(f.admin), f.shop.account));
  f.ledger->close();
  const auto report = must(verify_audit_chain(f.file));
  CHECK(report.intact());
  CHECK(report.state_checked);
}

TEST_CASE("a session expires after its lifetime", "[storage][sessions]") {
  fixture f;
  must(store(f).set_password(f.as(f.admin), {f.shop.account, "天平路 2024 fresh"}));
  const auto old =
      must(store(f).sign_in(real({}, -session_lifetime - 1s), {"刘洋", "天平路 2024 fresh"}));
  auto r = f.ledger->authenticate(old.token);
  CHECK_ERRC(r, errc::unauthenticated);
  CHECK(r.error().message.find("expired") != std::string::npos);
  const auto fresh =
      must(store(f).sign_in(real({}, -session_lifetime + 60s), {"刘洋", "天平路 2024 fresh"}));
  CHECK(must(f.ledger->authenticate(fresh.token)).account == f.shop.account);
}

TEST_CASE("who may set a password, and bad ones write nothing", "[storage][sessions]") {
  fixture f;
  const auto before = f.snapshot();
  CHECK_ERRC(store(f).set_password(f.as(f.wholesaler), {f.shop.account, "long enough 1"}),
             errc::not_found);
  CHECK_ERRC(store(f).set_password(f.as(f.admin), {f.shop.account, "short"}), errc::invalid_input);
  CHECK_ERRC(store(f).set_password(f.as(f.admin), {999, "long enough 1"}), errc::not_found);
  CHECK(f.snapshot() == before);
  // A person may set their own.
  must(store(f).set_password(f.as(f.shop), {f.shop.account, "long enough 1"}));
}

}  // namespace coldtrace::storage::test
