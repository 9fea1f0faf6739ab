// Units, accounts and bearer tokens.
#include "codec/identifiers.hpp"
#include "storage/digest.hpp"
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <cctype>

namespace coldtrace::storage::sql::ops {
namespace json = boost::json;
namespace {

// Which roles an account may have at a unit of each kind: the bureau's staff administer and
// inspect; a warehouse's staff run the warehouse; the other units' staff are operators.
bool role_fits(account_role role, unit_kind kind) {
  switch (role) {
    case account_role::admin:
    case account_role::inspector: return kind == unit_kind::regulator;
    case account_role::warehouse: return kind == unit_kind::warehouse;
    case account_role::unit_operator: return kind != unit_kind::regulator;
  }
  return false;
}

std::optional<account_record> find_account(connection& c, account_id id) {
  static const std::string sql =
      "SELECT " + std::string{account_columns} + " FROM accounts WHERE id = ?";
  auto q = c.query(sql);
  q.with(id);
  if (!q.step()) return std::nullopt;
  return read_account(q);
}

result<issued_token> set_token(connection& c, const context& ctx, account_record a,
                               std::string_view event) {
  issued_token out{std::move(a), new_token()};
  const auto digest = sha256(as_bytes(out.token));
  c.query("UPDATE accounts SET token_sha256 = ?, revoked_at = NULL WHERE id = ?")
      .with(bytes_view{digest}, out.account.id)
      .run();
  out.account.revoked_at.reset();
  append_event(c, ctx, event, "account/" + std::to_string(out.account.id),
               json::object{{"account", out.account.id}, {"token_sha256", to_hex(digest)}});
  return out;
}

}  // namespace

result<unit_record> register_unit(connection& c, const context& ctx, const unit_request& r) {
  if (auto e = require_role(ctx.by, {account_role::admin}, "register units")) return *e;
  std::string credit = r.credit_code;
  std::transform(credit.begin(), credit.end(), credit.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (auto ok = codec::check_credit_code(credit); !ok)
    return fail(errc::invalid_input, ok.error().message);
  if (auto e = check_text("the unit's name", r.name)) return *e;
  if (auto e = check_text("the region", r.region)) return *e;
  {
    auto q = c.query("SELECT id FROM units WHERE credit_code = ?");
    q.with(credit);
    if (q.step())
      return fail(errc::duplicate, "the credit code " + credit + " is already registered (unit " +
                                       std::to_string(q.int64(0)) + ")");
  }
  c.query("INSERT INTO units (credit_code, name, kind, region, registered_at) VALUES (?,?,?,?,?)")
      .with(credit, r.name, to_string(r.kind), r.region, seconds(ctx.at))
      .run();
  unit_record u{c.last_insert_id(), credit, r.name, r.kind, r.region, ctx.at};
  append_event(c, ctx, "unit.register", "unit/" + std::to_string(u.id),
               json::object{{"credit_code", u.credit_code},
                            {"kind", to_string(u.kind)},
                            {"name", u.name},
                            {"region", u.region}});
  return u;
}

result<issued_token> create_account(connection& c, const context& ctx, const account_request& r) {
  if (auto e = require_role(ctx.by, {account_role::admin}, "create accounts")) return *e;
  if (auto e = check_text("the account's name", r.name)) return *e;
  const auto unit = find_unit(c, r.unit);
  if (!unit) return no_such("unit", r.unit);
  if (!role_fits(r.role, unit->kind))
    return fail(errc::invalid_input, "an account at a unit of kind " +
                                         std::string{to_string(unit->kind)} +
                                         " cannot have the role " + std::string{to_string(r.role)});
  c.query("INSERT INTO accounts (unit_id, role, name, created_at) VALUES (?, ?, ?, ?)")
      .with(r.unit, to_string(r.role), r.name, seconds(ctx.at))
      .run();
  account_record a{c.last_insert_id(), r.unit, r.role, r.name, ctx.at, std::nullopt};
  append_event(c, ctx, "account.create", "account/" + std::to_string(a.id),
               json::object{{"name", a.name}, {"role", to_string(a.role)}, {"unit", a.unit}});
  return set_token(c, ctx, std::move(a), "account.token");
}

result<issued_token> rotate_token(connection& c, const context& ctx, account_id id) {
  // Another account's token answers as a missing one: account ids are not to be probed.
  if (ctx.by.role != account_role::admin && ctx.by.account != id) return no_such("account", id);
  auto a = find_account(c, id);
  if (!a) return no_such("account", id);
  return set_token(c, ctx, std::move(*a), "account.token");
}

result<account_record> revoke_token(connection& c, const context& ctx, account_id id) {
  // Another account's token answers as a missing one: account ids are not to be probed.
  if (ctx.by.role != account_role::admin && ctx.by.account != id) return no_such("account", id);
  auto a = find_account(c, id);
  if (!a) return no_such("account", id);
  if (a->revoked_at)
    return fail(errc::duplicate,
                "the token of account " + std::to_string(id) + " is already revoked");
  c.query("UPDATE accounts SET token_sha256 = NULL, revoked_at = ? WHERE id = ?")
      .with(seconds(ctx.at), id)
      .run();
  a->revoked_at = ctx.at;
  append_event(c, ctx, "account.revoke", "account/" + std::to_string(id),
               json::object{{"account", id}});
  return *a;
}

result<actor> authenticate(connection& c, std::string_view token) {
  // A person's session token: "cs_" and 43 base64url characters.
  if (token.size() == 46 && token.substr(0, 3) == "cs_")
    return authenticate_session(
        c, token,
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  // A well-formed token is "ct_" and 43 base64url characters; anything else is not ours.
  if (token.size() != 46 || token.substr(0, 3) != "ct_")
    return fail(errc::unauthenticated, "the token is not a coldtrace token");
  const auto digest = sha256(as_bytes(token));
  auto q = c.query("SELECT id, unit_id, role FROM accounts WHERE token_sha256 = ?");
  q.with(bytes_view{digest});
  if (!q.step()) return fail(errc::unauthenticated, "the token is unknown or was revoked");
  return actor{q.int64(0), q.int64(1),
               account_role_from(q.text(2)).value_or(account_role::unit_operator)};
}

result<std::vector<account_record>> list_accounts(connection& c, const actor& by, unit_id unit) {
  if (by.role != account_role::admin && by.unit != unit) return no_such("unit", unit);
  static const std::string sql =
      "SELECT " + std::string{account_columns} + " FROM accounts WHERE unit_id = ? ORDER BY id";
  auto q = c.query(sql);
  q.with(unit);
  std::vector<account_record> out;
  while (q.step()) out.push_back(read_account(q));
  return out;
}

}  // namespace coldtrace::storage::sql::ops
