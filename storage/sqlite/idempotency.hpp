// Idempotency keys: a write sent again with the key of one already committed answers with
// that write's result and writes nothing. The key, the request's fingerprint and the result
// are stored by the operation's own job, in its savepoint, so they commit (or not) with the
// write: a crash after the commit and before the answer leaves a retry that finds them.
// The writer runs one job at a time, so concurrent retries with one key write once. Internal.
#pragma once

#include "storage/error.hpp"
#include "storage/reports.hpp"
#include "storage/sqlite/db.hpp"

#include <functional>
#include <string>

namespace coldtrace::storage::sql {

// How long a key is remembered: a retry later than this is a new request.
inline constexpr std::chrono::hours idempotency_window{24};

// The result stored for the caller's key: nullopt when the context carries no key or the key
// is new (or older than the window); key_reused when it came with another request.
result<std::optional<std::string>> find_key(connection& c, const context& ctx,
                                            std::string_view operation);
// Stores the caller's key with the result of the write it made; forgets keys past the window.
void store_key(connection& c, const context& ctx, std::string_view operation,
               const std::string& stored);

// Runs `write` once per key: `save` makes the text to store from its result, `replay` the
// result again from that text.
template <class T>
result<T> once(connection& c, const context& ctx, std::string_view operation,
               const std::function<result<T>()>& write,
               const std::function<std::string(const T&)>& save,
               const std::function<result<T>(const std::string&)>& replay) {
  if (!ctx.once) return write();
  auto seen = find_key(c, ctx, operation);
  if (!seen) return seen.error();
  if (*seen) return replay(**seen);
  auto out = write();
  if (out) store_key(c, ctx, operation, save(*out));
  return out;
}

// The stored forms of the four writes that take a key.
std::string saved(const intake_result& r);
std::string saved(const code_record& r);
std::string saved(const sale_check_result& r);
result<intake_result> replay_intake(connection& c, const std::string& stored);
result<code_record> replay_code(connection& c, const std::string& stored);
result<sale_check_result> replay_sale_check(const std::string& stored);

}  // namespace coldtrace::storage::sql
