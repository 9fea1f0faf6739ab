// People's passwords and sessions (sign-in by name and password). Passwords and sessions are
// credentials, not ledger state: like bearer tokens' digests they never enter an event, and
// the replay of the audit chain neither builds nor compares these tables. Setting a password
// and revoking an account's sessions are recorded (who did it, to whom).
#include "storage/digest.hpp"
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <boost/json/object.hpp>

namespace coldtrace::storage::sql::ops {
namespace json = boost::json;
namespace {

std::optional<account_record> account_by_id(connection& c, account_id id) {
  static const std::string sql =
      "SELECT " + std::string{account_columns} + " FROM accounts WHERE id = ?";
  auto q = c.query(sql);
  q.with(id);
  if (!q.step()) return std::nullopt;
  return read_account(q);
}

// Another account's sessions and password answer as a missing account: ids are not probed.
std::optional<error> may_manage(const actor& by, account_id id) {
  if (by.role != account_role::admin && by.account != id) return no_such("account", id);
  return std::nullopt;
}

std::int64_t end_open_sessions(connection& c, account_id id, time_point at) {
  c.query("UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL")
      .with(seconds(at), id)
      .run();
  return c.changes();
}

}  // namespace

result<account_record> set_password(connection& c, const context& ctx, account_id id,
                                    const std::string& hash) {
  if (auto e = may_manage(ctx.by, id)) return *e;
  auto a = account_by_id(c, id);
  if (!a) return no_such("account", id);
  {
    auto q = c.query("SELECT account_id FROM passwords WHERE login = ? AND account_id <> ?");
    q.with(a->name, id);
    if (q.step())
      return fail(errc::duplicate,
                  "account " + std::to_string(q.int64(0)) + " already signs in with the name \"" +
                      a->name + "\": names that sign in must differ",
                  "password.name_taken", {{"name", a->name}});
  }
  c.query(
       "INSERT INTO passwords (account_id, login, hash, set_at) VALUES (?, ?, ?, ?)"
       " ON CONFLICT (account_id) DO UPDATE SET login = excluded.login, hash = excluded.hash,"
       " set_at = excluded.set_at")
      .with(id, a->name, hash, seconds(ctx.at))
      .run();
  // A new password ends the sessions the old one opened.
  const auto ended = end_open_sessions(c, id, ctx.at);
  append_event(c, ctx, "account.password", "account/" + std::to_string(id),
               json::object{{"account", id}, {"sessions_ended", ended}});
  return *a;
}

std::optional<password_row> find_password(connection& c, std::string_view name) {
  auto q = c.query("SELECT account_id, hash FROM passwords WHERE login = ?");
  q.with(name);
  if (!q.step()) return std::nullopt;
  const auto id = q.int64(0);
  std::string hash = q.text(1);
  auto a = account_by_id(c, id);
  if (!a) return std::nullopt;
  return password_row{std::move(*a), std::move(hash)};
}

result<issued_session> open_session(connection& c, const context& ctx, const account_record& a,
                                    std::string token) {
  const auto digest = sha256(as_bytes(token));
  const auto expires = ctx.at + session_lifetime;
  c.query(
       "INSERT INTO sessions (account_id, token_sha256, created_at, expires_at)"
       " VALUES (?, ?, ?, ?)")
      .with(a.id, bytes_view{digest}, seconds(ctx.at), seconds(expires))
      .run();
  return issued_session{a, c.last_insert_id(), std::move(token), expires};
}

result<std::int64_t> end_session(connection& c, const context& ctx, std::string_view token) {
  if (!token.starts_with("cs_"))
    return fail(errc::invalid_input,
                "this request was signed with a bearer token, not a session: there is no session "
                "to end (revoke the token instead)",
                "session.not_session", {});
  const auto digest = sha256(as_bytes(token));
  auto q = c.query(
      "SELECT id FROM sessions WHERE token_sha256 = ? AND account_id = ? AND revoked_at IS NULL");
  q.with(bytes_view{digest}, ctx.by.account);
  if (!q.step())
    return fail(errc::not_found, "the session is unknown or has ended", "session.ended", {});
  const auto id = q.int64(0);
  c.query("UPDATE sessions SET revoked_at = ? WHERE id = ?").with(seconds(ctx.at), id).run();
  return id;
}

result<std::int64_t> revoke_sessions(connection& c, const context& ctx, account_id id) {
  if (auto e = may_manage(ctx.by, id)) return *e;
  if (!account_by_id(c, id)) return no_such("account", id);
  const auto ended = end_open_sessions(c, id, ctx.at);
  append_event(c, ctx, "account.sessions_revoke", "account/" + std::to_string(id),
               json::object{{"account", id}, {"sessions_ended", ended}});
  return ended;
}

result<actor> authenticate_session(connection& c, std::string_view token, time_point now) {
  const auto digest = sha256(as_bytes(token));
  auto q = c.query(
      "SELECT s.id, s.expires_at, s.revoked_at, a.id, a.unit_id, a.role FROM sessions s"
      " JOIN accounts a ON a.id = s.account_id WHERE s.token_sha256 = ?");
  q.with(bytes_view{digest});
  if (!q.step())
    return fail(errc::unauthenticated, "the session is unknown: sign in again", "session.unknown",
                {});
  if (!q.is_null(2))
    return fail(errc::unauthenticated, "the session was ended: sign in again", "session.ended", {});
  if (q.int64(1) <= seconds(now))
    return fail(errc::unauthenticated, "the session expired: sign in again", "session.expired", {});
  return actor{q.int64(3), q.int64(4),
               account_role_from(q.text(5)).value_or(account_role::unit_operator)};
}

}  // namespace coldtrace::storage::sql::ops
