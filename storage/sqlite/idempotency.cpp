#include "storage/sqlite/idempotency.hpp"

#include "storage/sqlite/rows.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace coldtrace::storage::sql {
namespace json = boost::json;

result<std::optional<std::string>> find_key(connection& c, const context& ctx,
                                            std::string_view operation) {
  if (!ctx.once) return std::nullopt;
  auto q = c.query(
      "SELECT operation, fingerprint, result FROM idempotency_keys"
      " WHERE account_id = ? AND key = ? AND created_at >= ?");
  q.with(ctx.by.account, ctx.once->key, seconds(ctx.at - idempotency_window));
  if (!q.step()) return std::nullopt;
  if (q.text(0) != operation || q.text(1) != ctx.once->fingerprint)
    return fail(errc::key_reused, "this Idempotency-Key was used for a different request (" +
                                      q.text(0) + "); send a new key for a new request");
  return std::optional{q.text(2)};
}

void store_key(connection& c, const context& ctx, std::string_view operation,
               const std::string& stored) {
  // Forgetting here keeps the table to about a day of writes without a timer of its own.
  c.query("DELETE FROM idempotency_keys WHERE created_at < ?")
      .with(seconds(ctx.at - idempotency_window))
      .run();
  c.query(
       "INSERT INTO idempotency_keys"
       " (account_id, key, operation, fingerprint, result, created_at) VALUES (?, ?, ?, ?, ?, ?)"
       " ON CONFLICT (account_id, key) DO UPDATE SET operation = excluded.operation,"
       " fingerprint = excluded.fingerprint, result = excluded.result,"
       " created_at = excluded.created_at")
      .with(ctx.by.account, ctx.once->key, std::string{operation}, ctx.once->fingerprint, stored,
            seconds(ctx.at))
      .run();
}

std::string saved(const intake_result& r) {
  return json::serialize(json::object{{"lot", r.lot.id}});
}

std::string saved(const code_record& r) {
  return json::serialize(json::object{{"code", r.id}});
}

std::string saved(const sale_check_result& r) {
  json::object o{{"verdict", to_string(r.verdict)}, {"remaining_g", r.remaining_g}};
  if (r.code) o["code"] = *r.code;
  if (r.sale) o["sale"] = *r.sale;
  return json::serialize(o);
}

// The records a write made, as they are now: the ids are the first write's.
result<intake_result> replay_intake(connection& c, const std::string& stored) {
  const auto id = json::parse(stored).at("lot").to_number<lot_id>();
  auto lot = find_lot(c, id);
  auto code = lot ? find_code(c, lot->root_code) : std::nullopt;
  if (!code) return fail(errc::storage_failure, "the lot of a stored idempotency key is gone");
  return intake_result{std::move(*lot), std::move(*code)};
}

result<code_record> replay_code(connection& c, const std::string& stored) {
  auto code = find_code(c, json::parse(stored).at("code").to_number<code_id>());
  if (!code) return fail(errc::storage_failure, "the code of a stored idempotency key is gone");
  return std::move(*code);
}

result<sale_check_result> replay_sale_check(const std::string& stored) {
  const auto o = json::parse(stored).as_object();
  sale_check_result r;
  r.verdict = verdict_from_string(o.at("verdict").as_string()).value_or(verdict::unknown);
  r.remaining_g = o.at("remaining_g").to_number<std::int64_t>();
  if (const auto* code = o.if_contains("code")) r.code = code->to_number<code_id>();
  if (const auto* sale = o.if_contains("sale")) r.sale = sale->to_number<std::int64_t>();
  return r;
}

}  // namespace coldtrace::storage::sql
