// A unit's batch of receipts, dispatches and sales: each line is the single operation it
// names (ops_codes.cpp), under the client's reference as its idempotency key, in a savepoint
// of its own inside the batch's savepoint, so that a failing line is undone alone, and an
// atomic batch or a dry run can undo every line.
#include "codec/number.hpp"
#include "storage/sqlite/idempotency.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

namespace coldtrace::storage::sql::ops {
namespace {

std::string_view operation(batch_op op) {
  switch (op) {
    case batch_op::receipt: return "batch.receipt";
    case batch_op::dispatch: return "batch.dispatch";
    case batch_op::sale: return "batch.sale";
  }
  return "batch";
}

// What the line asks, so that its reference sent again with another request is refused.
std::string fingerprint(const batch_line& l) {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  switch (l.op) {
    case batch_op::receipt: return "receipt " + n(l.code);
    case batch_op::dispatch:
      return "dispatch " + n(l.dispatch.code) + " " + n(l.dispatch.consignee) + " " +
             n(l.dispatch.quantity_g);
    case batch_op::sale: {
      const auto& s = l.sale.code;
      std::string scanned = s.number         ? "number " + codec::number_digits(*s.number)
                            : s.foreign_host ? std::string{"foreign"}
                                             : "bytes " + to_hex(s.raw);
      return "sale " + scanned + " " + n(l.sale.quantity_g.value_or(0));
    }
  }
  return {};
}

// The caller's key for the line: references are the unit's names for its operations, so
// the unit is part of the key (the command line acts for any unit as one account).
context keyed(const context& ctx, const batch_line& l) {
  context out = ctx;
  out.once = idempotency{"batch:" + std::to_string(ctx.by.unit) + ":" + l.ref, fingerprint(l)};
  return out;
}

// Runs the line's operation, or answers from the reference's earlier write.
void run_line(connection& c, const context& ctx, const batch_line& l, const codec::signing_key* key,
              batch_line_result& out) {
  const auto at = keyed(ctx, l);
  const auto op = operation(l.op);
  auto seen = find_key(c, at, op);
  if (!seen) {
    out.failure = seen.error();
    return;
  }
  out.replayed = seen->has_value();
  if (l.op == batch_op::sale) {
    auto r = *seen ? replay_sale_check(**seen) : ops::sale_check(c, at, l.sale);
    if (!r) {
      out.failure = r.error();
      return;
    }
    if (!*seen) store_key(c, at, op, saved(*r));
    out.sale = *r;
    return;
  }
  result<code_record> r = fail(errc::invalid_input, "no operation");
  if (*seen)
    r = replay_code(c, **seen);
  else if (l.op == batch_op::receipt)
    r = ops::receive(c, at, l.code);
  else
    r = ops::dispatch(c, at, l.dispatch, key);
  if (!r) {
    out.failure = r.error();
    return;
  }
  if (!*seen) store_key(c, at, op, saved(*r));
  out.code = std::move(*r);
}

line_status status_of(const batch_line_result& r) {
  if (r.failure) return line_status::failed;
  if (r.sale && !r.sale->sale) return line_status::denied;
  return line_status::done;
}

}  // namespace

result<batch_result> batch(connection& c, const context& ctx, const batch_request& r,
                           const codec::signing_key* key) {
  // Refused as a whole: no line of it could be the caller's to do.
  if (auto e = require_role(ctx.by, {account_role::warehouse, account_role::unit_operator},
                            "send batches of receipts, dispatches and sales"))
    return *e;
  batch_result out;
  out.lines.reserve(r.lines.size());
  savepoint whole{c};
  bool any_failed = false;
  bool any_written = false;
  for (const auto& l : r.lines) {
    auto& line = out.lines.emplace_back();
    line.ref = l.ref;
    savepoint one{c};
    try {
      run_line(c, ctx, l, key, line);
    } catch (const std::exception& e) {
      line.failure = fail(errc::storage_failure, e.what());
    }
    line.status = status_of(line);
    if (line.status == line_status::failed) {
      one.rollback();
    } else {
      one.release();
      any_written = any_written || !line.replayed;
    }
    // A denied sale fails an atomic batch: the caller asked for all of its sales.
    any_failed = any_failed || line.status != line_status::done;
  }
  if (r.dry_run) {
    // The statuses say what the lines would do; the records they made are gone again.
    whole.rollback();
    for (auto& line : out.lines) {
      if (line.replayed) continue;
      line.code.reset();
      if (line.sale) line.sale->sale.reset();
    }
    return out;
  }
  if (r.atomic && any_failed) {
    whole.rollback();
    for (auto& line : out.lines)
      if (line.status == line_status::done && !line.replayed) {
        line.status = line_status::rolled_back;
        line.code.reset();
        line.sale.reset();
      }
    return out;
  }
  whole.release();
  out.written = any_written;
  return out;
}

}  // namespace coldtrace::storage::sql::ops
