// Codes in circulation: issuing, dispatch (a split), receipt, and the check at the point of sale.
#include "codec/code.hpp"
#include "codec/identifiers.hpp"
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <boost/json/object.hpp>

#include <algorithm>

namespace coldtrace::storage::sql::ops {
namespace json = boost::json;
namespace {

std::string code_subject(code_id id) {
  return "code/" + std::to_string(id);
}

std::optional<error> require_holder_staff(const actor& by, std::string_view doing) {
  return require_role(by, {account_role::warehouse, account_role::unit_operator}, doing);
}

}  // namespace

result<code_record> issue_code(connection& c, const codec::signing_key* key, code_record draft,
                               const lot_record& lot) {
  if (!key)
    return fail(errc::no_signing_key, "no signing key is configured: codes cannot be issued");
  const auto category = codec::find_category(lot.category);
  const auto origin = codec::find_country(lot.origin);
  if (!category || !origin)
    return fail(errc::invalid_input, "lot " + std::to_string(lot.id) +
                                         " has an unknown category"
                                         " or origin");
  // One writer: the next id cannot be taken by anybody else before this transaction ends.
  auto next = c.query("SELECT coalesce(max(id), 0) + 1 FROM codes");
  next.step();
  draft.id = next.int64(0);
  const auto day = std::chrono::floor<std::chrono::days>(draft.issued_at);
  codec::payload p{.code_id = static_cast<std::uint64_t>(draft.id),
                   .root_lot = static_cast<std::uint64_t>(lot.id),
                   .split_path = draft.split_path,
                   .category = category->id,
                   .quantity_g = static_cast<std::uint64_t>(draft.quantity_g),
                   .holder = static_cast<std::uint64_t>(draft.holder),
                   .origin = origin->numeric,
                   .issued_day = static_cast<std::uint32_t>(day.time_since_epoch().count())};
  auto signed_code = codec::issue_code(p, *key);
  if (!signed_code) return fail(errc::signing_failed, signed_code.error().message);
  draft.signed_code = std::move(*signed_code);
  c.query(
       "INSERT INTO codes (id, lot_id, parent_id, split_path, holder_id, quantity_g, remaining_g,"
       " status, issued_at, received_at, signed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .with(draft.id, draft.lot, draft.parent, draft.split_path, draft.holder, draft.quantity_g,
            draft.remaining_g, to_string(draft.status), seconds(draft.issued_at),
            draft.received_at ? std::optional<std::int64_t>{seconds(*draft.received_at)}
                              : std::nullopt,
            draft.signed_code)
      .run();
  return draft;
}

result<code_record> dispatch(connection& c, const context& ctx, const dispatch_request& r,
                             const codec::signing_key* key) {
  if (auto e = require_holder_staff(ctx.by, "dispatch goods")) return *e;
  if (r.quantity_g <= 0)
    return fail(errc::invalid_input, "the quantity must be at least 1 g", "dispatch.quantity", {});
  auto code = find_code(c, r.code);
  if (!code) return no_such("code", r.code);
  const std::string which = "code " + std::to_string(r.code);
  if (code->holder != ctx.by.unit)
    return no_such("code", r.code, errc::wrong_unit);  // held by another unit
  auto lot = find_lot(c, code->lot);
  if (!lot->recalled_at) lot->recalled_at = recall_covering(c, *code);
  const message_args args{{"code", std::to_string(r.code)}};
  if (lot->recalled_at)
    return fail(errc::recalled, which + ": its lot has been recalled", "dispatch.recalled", args);
  if (lot->status == lot_status::quarantined)
    return fail(errc::quarantined, which + ": its lot is quarantined after a positive result",
                "dispatch.quarantined", args);
  if (lot->status != lot_status::released)
    return fail(errc::not_released, which + ": its lot has not been released",
                "dispatch.not_released", args);
  if (code->status == code_status::pending)
    return fail(errc::pending_receipt, which + " must be received before it is dispatched",
                "dispatch.pending_receipt", args);
  const auto consignee = find_unit(c, r.consignee);
  if (!consignee) return no_such("unit", r.consignee);
  if (consignee->id == code->holder)
    return fail(errc::invalid_input, "a unit cannot dispatch goods to itself", "dispatch.self", {});
  if (consignee->kind == unit_kind::regulator)
    return fail(errc::invalid_input, "goods cannot be dispatched to a regulator",
                "dispatch.regulator", {});
  if (r.quantity_g > code->remaining_g)
    return fail(errc::insufficient_quantity,
                which + " holds " + std::to_string(code->remaining_g) + " g; cannot dispatch " +
                    std::to_string(r.quantity_g) + " g",
                "dispatch.insufficient",
                {{"code", std::to_string(r.code)},
                 {"held", std::to_string(code->remaining_g)},
                 {"asked", std::to_string(r.quantity_g)}});
  if (std::int64_t{code->children} >= codec::max_split_ordinal)
    return fail(errc::too_many_splits,
                which + " already has " + std::to_string(codec::max_split_ordinal) +
                    " child codes, the most one code can have; dispatch from one of them instead");
  const auto depth = codec::split_levels(code->split_path).value().size();
  if (depth >= codec::max_split_depth)
    return fail(errc::too_deep,
                which + " is " + std::to_string(depth) + " splits deep, the most a code can be");

  code_record draft;
  draft.lot = code->lot;
  draft.parent = code->id;
  draft.split_path = code->split_path;
  draft.holder = r.consignee;
  draft.quantity_g = draft.remaining_g = r.quantity_g;
  draft.status = code_status::pending;
  draft.issued_at = ctx.at;
  codec::append_split_level(draft.split_path, static_cast<std::uint32_t>(code->children + 1));
  auto child = issue_code(c, key, std::move(draft), *lot);
  if (!child) return child.error();
  c.query("UPDATE codes SET remaining_g = remaining_g - ?, children = children + 1 WHERE id = ?")
      .with(r.quantity_g, code->id)
      .run();
  c.query(
       "INSERT INTO transfers (code_id, from_code_id, from_unit, to_unit, quantity_g,"
       " dispatched_at) VALUES (?, ?, ?, ?, ?, ?)")
      .with(child->id, code->id, code->holder, r.consignee, r.quantity_g, seconds(ctx.at))
      .run();
  append_event(c, ctx, "code.dispatch", code_subject(child->id),
               json::object{{"consignee", r.consignee},
                            {"from", code->id},
                            {"lot", code->lot},
                            {"quantity_g", r.quantity_g},
                            {"signed", base64url_encode(child->signed_code)},
                            {"transfer", c.last_insert_id()}});
  return std::move(*child);
}

result<code_record> receive(connection& c, const context& ctx, code_id id) {
  if (auto e = require_holder_staff(ctx.by, "receive goods")) return *e;
  auto code = find_code(c, id);
  if (!code) return no_such("code", id);
  const std::string which = "code " + std::to_string(id);
  if (code->holder != ctx.by.unit)
    return no_such("code", id, errc::wrong_unit);  // dispatched to another unit
  if (code->status != code_status::pending)
    return fail(errc::already_received, which + " was already received", "receive.already",
                {{"code", std::to_string(id)}});
  // Custody is recorded even for a recalled lot: the recall must know where the goods are.
  c.query("UPDATE codes SET status = 'active', received_at = ? WHERE id = ?")
      .with(seconds(ctx.at), id)
      .run();
  c.query("UPDATE transfers SET received_at = ? WHERE code_id = ?").with(seconds(ctx.at), id).run();
  code->status = code_status::active;
  code->received_at = ctx.at;
  append_event(c, ctx, "code.receive", code_subject(id),
               json::object{{"lot", code->lot}, {"quantity_g", code->quantity_g}});
  return std::move(*code);
}

judgement judge(connection& c, bytes_view scanned, std::optional<unit_id> at_unit) {
  judgement j;
  auto p = codec::read_code(scanned);
  if (!p) {
    j.verdict = codec::verdict_of(p.error());
    return j;
  }
  auto code = find_code(c, static_cast<code_id>(p->code_id));
  if (!code) {
    j.verdict = verdict::unknown;
    return j;
  }
  // Exact match with the code we issued: no signature math needed on this path.
  if (!std::equal(scanned.begin(), scanned.end(), code->signed_code.begin(),
                  code->signed_code.end())) {
    j.verdict = verdict::forged;
    return j;
  }
  j.lot = find_lot(c, code->lot);
  // A recall of a consignment above this code blocks it as a recall of the lot would.
  if (!j.lot->recalled_at) j.lot->recalled_at = recall_covering(c, *code);
  j.code = std::move(code);
  j.verdict = decide(*j.lot, *j.code, at_unit);
  return j;
}

judgement judge_scan(connection& c, const scan& scanned, std::optional<unit_id> at_unit) {
  if (scanned.foreign_host) return {verdict::forged, {}, {}};
  if (!scanned.number) return judge(c, scanned.raw, at_unit);
  auto code = find_code(c, static_cast<code_id>(scanned.number->code_id));
  if (!code) return {verdict::unknown, {}, {}};
  auto issued = codec::number_of_code(code->signed_code);
  if (!issued || issued->tag != scanned.number->tag) return {verdict::forged, {}, {}};
  return judge(c, code->signed_code, at_unit);
}

verdict decide(const lot_record& lot, const code_record& code, std::optional<unit_id> at_unit) {
  if (lot.recalled_at) return verdict::recalled;
  if (lot.status == lot_status::quarantined) return verdict::quarantined;
  if (lot.status == lot_status::held) return verdict::not_released;
  if (at_unit && *at_unit != code.holder) return verdict::wrong_holder;
  if (code.status == code_status::pending) return verdict::pending_receipt;
  if (code.remaining_g == 0) return verdict::exhausted;
  return verdict::valid;
}

result<sale_check_result> sale_check(connection& c, const context& ctx,
                                     const sale_check_request& r) {
  if (auto e = require_holder_staff(ctx.by, "check codes for sale")) return *e;
  if (r.unit != ctx.by.unit)
    return fail(errc::forbidden, "an account checks sales only at its own unit");
  if (r.quantity_g && *r.quantity_g <= 0)
    return fail(errc::invalid_input, "the quantity sold must be at least 1 g");
  // A genuine code under another host is a copied label: refused before its digits are read.
  auto j = judge_scan(c, r.code, r.unit);
  sale_check_result out{j.verdict, j.code ? std::optional{j.code->id} : std::nullopt, std::nullopt,
                        j.code ? j.code->remaining_g : 0};
  if (j.verdict == verdict::valid && r.quantity_g) {
    if (*r.quantity_g > j.code->remaining_g)
      return fail(errc::insufficient_quantity,
                  "code " + std::to_string(j.code->id) + " has " +
                      std::to_string(j.code->remaining_g) + " g left; cannot sell " +
                      std::to_string(*r.quantity_g) + " g",
                  "sale.insufficient",
                  {{"code", std::to_string(j.code->id)},
                   {"held", std::to_string(j.code->remaining_g)},
                   {"asked", std::to_string(*r.quantity_g)}});
    c.query(
         "INSERT INTO sales (code_id, unit_id, account_id, quantity_g, sold_at)"
         " VALUES (?, ?, ?, ?, ?)")
        .with(j.code->id, r.unit, ctx.by.account, *r.quantity_g, seconds(ctx.at))
        .run();
    out.sale = c.last_insert_id();
    c.query("UPDATE codes SET remaining_g = remaining_g - ? WHERE id = ?")
        .with(*r.quantity_g, j.code->id)
        .run();
    out.remaining_g -= *r.quantity_g;
  }
  c.query(
       "INSERT INTO sale_checks (code_id, unit_id, account_id, verdict, quantity_g, sale_id,"
       " checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .with(out.code, r.unit, ctx.by.account, to_string(out.verdict), r.quantity_g, out.sale,
            seconds(ctx.at))
      .run();
  json::object data{
      {"check", c.last_insert_id()}, {"unit", r.unit}, {"verdict", to_string(out.verdict)}};
  if (r.quantity_g) data["quantity_g"] = *r.quantity_g;  // asked for; sold when "sale" is set
  if (out.sale) data["sale"] = *out.sale;
  append_event(c, ctx, out.sale ? "code.sale" : "code.check",
               out.code ? code_subject(*out.code) : "unit/" + std::to_string(r.unit), data);
  return out;
}

}  // namespace coldtrace::storage::sql::ops
