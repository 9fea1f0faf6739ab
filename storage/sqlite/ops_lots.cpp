// The warehouse: intake, samples, results, disinfection, release.
#include "codec/identifiers.hpp"
#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/lot_details.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/rows.hpp"

#include <boost/json/object.hpp>

namespace coldtrace::storage::sql::ops {
namespace json = boost::json;
namespace {

constexpr std::int64_t max_weight_g = 1'000'000'000'000;  // a million tonnes: surely a typo
constexpr std::int64_t max_packages = 1'000'000'000;

std::string lot_subject(lot_id id) {
  return "lot/" + std::to_string(id);
}

// The lot, if it exists and the caller is the warehouse staff of the warehouse holding it.
result<lot_record> warehouse_lot(connection& c, const actor& by, lot_id id,
                                 std::string_view doing) {
  if (auto e = require_role(by, {account_role::warehouse}, doing)) return *e;
  auto lot = find_lot(c, id);
  if (!lot) return no_such("lot", id);
  if (lot->warehouse != by.unit)
    return no_such("lot", id, errc::wrong_unit);  // at another warehouse
  return *lot;
}

std::optional<error> not_after(time_point t, time_point now, std::string_view what) {
  if (t > now)
    return fail(errc::invalid_input, std::string{what} + " is later than the time of recording",
                "time.future", {{"field", std::string{what}}});
  return std::nullopt;
}

}  // namespace

result<intake_result> intake(connection& c, const context& ctx, const intake_request& r,
                             const codec::signing_key* key) {
  if (auto e = require_role(ctx.by, {account_role::warehouse}, "take lots in")) return *e;
  const auto unit = find_unit(c, ctx.by.unit);
  if (!unit || unit->kind != unit_kind::warehouse)
    return fail(errc::forbidden, "only a supervision warehouse takes lots in",
                "intake.not_warehouse", {});
  if (auto e = check_text("the product name", r.product)) return *e;
  const auto category = codec::find_category(r.category);
  if (!category)
    return fail(errc::invalid_input, category.error().message, "intake.category",
                {{"value", r.category}});
  const auto origin = codec::find_country(r.origin);
  if (!origin)
    return fail(errc::invalid_input, origin.error().message, "intake.origin",
                {{"value", r.origin}});
  if (r.net_weight_g <= 0 || r.net_weight_g > max_weight_g)
    return fail(errc::invalid_input, "the net weight must be between 1 g and a million tonnes",
                "intake.weight", {});
  if (r.packages <= 0 || r.packages > max_packages)
    return fail(errc::invalid_input, "the package count must be at least 1", "intake.packages", {});
  if (auto e = check_text("the consignor", r.consignor)) return *e;
  if (auto e = check_text("the vehicle plate or container number", r.vehicle, 64)) return *e;
  if (category->imported && r.customs_number.empty())
    return fail(
        errc::documents_missing,
        "imported food (" + std::string{category->name} + ") needs its customs declaration number",
        "intake.customs_missing", {{"category", std::string{category->name}}});
  if (category->imported && r.quarantine_certificate.empty())
    return fail(errc::documents_missing,
                "imported food (" + std::string{category->name} +
                    ") needs its quarantine certificate number",
                "intake.quarantine_missing", {{"category", std::string{category->name}}});
  if (!r.customs_number.empty())
    if (auto ok = codec::check_customs_number(r.customs_number); !ok)
      return fail(errc::invalid_input, ok.error().message, "intake.customs_bad",
                  {{"value", r.customs_number}});
  if (auto e = check_text("the quarantine certificate number", r.quarantine_certificate, 64, false))
    return *e;
  if (auto e = check_details(r.details, ctx.at)) return *e;
  if (!key)
    return fail(errc::no_signing_key, "no signing key is configured: codes cannot be issued");

  const auto& d = r.details;
  c.query(
       "INSERT INTO lots (warehouse_id, product, category, origin, net_weight_g, packages,"
       " consignor, customs_number, quarantine_certificate, vehicle, intake_at, status,"
       " manufacturer, plant_registration, production_date, batch_number, storage_temp_c,"
       " animal_quarantine_certificate)"
       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?, ?, ?, ?, ?, ?)")
      .with(ctx.by.unit, r.product, category->name, origin->alpha2, r.net_weight_g, r.packages,
            r.consignor, r.customs_number, r.quarantine_certificate, r.vehicle, seconds(ctx.at),
            d.manufacturer, d.plant_registration, d.production_date, d.batch_number,
            d.storage_temp_c, d.animal_quarantine_certificate)
      .run();
  lot_record lot;
  lot.id = c.last_insert_id();
  lot.warehouse = ctx.by.unit;
  lot.product = r.product;
  lot.category = category->name;
  lot.origin = origin->alpha2;
  lot.net_weight_g = r.net_weight_g;
  lot.packages = r.packages;
  lot.consignor = r.consignor;
  lot.customs_number = r.customs_number;
  lot.quarantine_certificate = r.quarantine_certificate;
  lot.vehicle = r.vehicle;
  lot.intake_at = ctx.at;
  lot.details = r.details;
  // The warehouse holds the root code from the start: it is received at intake.
  code_record draft;
  draft.lot = lot.id;
  draft.holder = ctx.by.unit;
  draft.quantity_g = draft.remaining_g = r.net_weight_g;
  draft.status = code_status::active;
  draft.issued_at = ctx.at;
  draft.received_at = ctx.at;
  auto code = issue_code(c, key, std::move(draft), lot);
  if (!code) return code.error();
  lot.root_code = code->id;
  c.query("UPDATE lots SET root_code_id = ? WHERE id = ?").with(code->id, lot.id).run();
  json::object data{{"category", lot.category},
                    {"code", code->id},
                    {"consignor", lot.consignor},
                    {"customs_number", lot.customs_number},
                    {"net_weight_g", lot.net_weight_g},
                    {"origin", lot.origin},
                    {"packages", lot.packages},
                    {"product", lot.product},
                    {"quarantine_certificate", lot.quarantine_certificate},
                    {"signed", base64url_encode(code->signed_code)},
                    {"vehicle", lot.vehicle}};
  // The details only when given, so that a lot taken in without them writes the event it
  // always did.
  if (d != lot_details{}) data["details"] = details_json(d);
  append_event(c, ctx, "lot.intake", lot_subject(lot.id), std::move(data));
  return intake_result{std::move(lot), std::move(*code)};
}

result<sample_record> add_sample(connection& c, const context& ctx, const sample_request& r) {
  auto lot = warehouse_lot(c, ctx.by, r.lot, "take samples");
  if (!lot) return lot.error();
  if (auto e = check_text("the collector", r.collector)) return *e;
  if (r.collected_at < lot->intake_at)
    return fail(errc::invalid_input, "the sample is dated before the lot's intake",
                "sample.before_intake", {});
  if (auto e = not_after(r.collected_at, ctx.at, "the collection time")) return *e;
  c.query("INSERT INTO samples (lot_id, type, collected_at, collector) VALUES (?, ?, ?, ?)")
      .with(r.lot, to_string(r.type), seconds(r.collected_at), r.collector)
      .run();
  const auto sample = c.last_insert_id();
  c.query("UPDATE lots SET samples = samples + 1 WHERE id = ?").with(r.lot).run();
  sample_record s{sample, r.lot, r.type, r.collected_at, r.collector, std::nullopt};
  append_event(c, ctx, "sample.add", "sample/" + std::to_string(s.id),
               json::object{{"collected_at", seconds(s.collected_at)},
                            {"collector", s.collector},
                            {"lot", s.lot},
                            {"type", to_string(s.type)}});
  return s;
}

result<sample_record> record_result(connection& c, const context& ctx, const result_request& r) {
  // The role first: whether a sample exists is no answer for a role that may not record.
  if (auto e = require_role(ctx.by, {account_role::warehouse}, "record results")) return *e;
  auto q = c.query("SELECT lot_id, type, collected_at, collector FROM samples WHERE id = ?");
  q.with(r.sample);
  if (!q.step()) return no_such("sample", r.sample);
  sample_record s{r.sample,
                  q.int64(0),
                  sample_type_from(q.text(1)).value_or(sample_type::outer_packaging),
                  at_seconds(q.int64(2)),
                  q.text(3),
                  std::nullopt};
  auto lot = warehouse_lot(c, ctx.by, s.lot, "record results");
  // Another warehouse's sample reads as a missing one, not as its lot.
  if (!lot)
    return is(lot.error(), errc::wrong_unit) ? no_such("sample", r.sample, errc::wrong_unit)
                                             : lot.error();
  if (auto e = check_text("the laboratory", r.lab)) return *e;
  if (auto e = check_text("the report number", r.report_number, 64)) return *e;
  if (r.reported_at < s.collected_at)
    return fail(errc::invalid_input, "the result is dated before its sample was collected",
                "result.before_sample", {});
  if (auto e = not_after(r.reported_at, ctx.at, "the report time")) return *e;
  {
    auto existing = c.query("SELECT outcome FROM results WHERE sample_id = ?");
    existing.with(r.sample);
    if (existing.step())
      return fail(
          errc::duplicate,
          "sample " + std::to_string(r.sample) + " already has a result (" + existing.text(0) + ")",
          "result.duplicate", {{"sample", std::to_string(r.sample)}});
  }
  c.query(
       "INSERT INTO results (sample_id, outcome, lab, report_number, reported_at)"
       " VALUES (?, ?, ?, ?, ?)")
      .with(r.sample, to_string(r.outcome), r.lab, r.report_number, seconds(r.reported_at))
      .run();
  c.query(r.outcome == test_outcome::positive
              ? "UPDATE lots SET positive = positive + 1 WHERE id = ?"
              : "UPDATE lots SET negative = negative + 1 WHERE id = ?")
      .with(s.lot)
      .run();
  s.result = result_record{r.outcome, r.lab, r.report_number, r.reported_at};
  append_event(c, ctx, "sample.result", "sample/" + std::to_string(s.id),
               json::object{{"lab", r.lab},
                            {"lot", s.lot},
                            {"outcome", to_string(r.outcome)},
                            {"report_number", r.report_number},
                            {"reported_at", seconds(r.reported_at)}});
  if (r.outcome == test_outcome::positive && lot->status != lot_status::quarantined) {
    // At once, in the same transaction: no code of the lot verifies as sellable any more.
    c.query("UPDATE lots SET status = 'quarantined' WHERE id = ?").with(s.lot).run();
    append_event(c, ctx, "lot.quarantine", lot_subject(s.lot),
                 json::object{{"previous", to_string(lot->status)}, {"sample", s.id}});
  }
  // The bureau is asked to recall what has left the warehouse (or to say why not).
  if (r.outcome == test_outcome::positive) propose_recall(c, ctx, s.lot, s.id);
  return s;
}

result<disinfection_record> record_disinfection(connection& c, const context& ctx,
                                                const disinfection_request& r) {
  auto lot = warehouse_lot(c, ctx.by, r.lot, "record disinfections");
  if (!lot) return lot.error();
  if (auto e = check_text("the disinfectant", r.agent)) return *e;
  if (auto e = check_text("the operator's name", r.operator_name)) return *e;
  if (auto e = check_text("the certificate number", r.certificate, 64)) return *e;
  if (auto e = not_after(r.performed_at, ctx.at, "the disinfection time")) return *e;
  c.query(
       "INSERT INTO disinfections (lot_id, agent, performed_at, operator_name, certificate)"
       " VALUES (?, ?, ?, ?, ?)")
      .with(r.lot, r.agent, seconds(r.performed_at), r.operator_name, r.certificate)
      .run();
  c.query(
       "UPDATE lots SET last_disinfection_at = ?1, last_disinfection_agent = ?2"
       " WHERE id = ?3 AND (last_disinfection_at IS NULL OR last_disinfection_at <= ?1)")
      .with(seconds(r.performed_at), r.agent, r.lot)
      .run();
  disinfection_record d{c.last_insert_id(), r.lot,           r.agent,
                        r.performed_at,     r.operator_name, r.certificate};
  append_event(c, ctx, "lot.disinfect", lot_subject(r.lot),
               json::object{{"agent", d.agent},
                            {"certificate", d.certificate},
                            {"disinfection", d.id},
                            {"operator", d.operator_name},
                            {"performed_at", seconds(d.performed_at)}});
  return d;
}

result<lot_record> release(connection& c, const context& ctx, lot_id id) {
  auto lot = warehouse_lot(c, ctx.by, id, "release lots");
  if (!lot) return lot.error();
  const std::string which = "lot " + std::to_string(id);
  const message_args args{{"lot", std::to_string(id)}};
  if (lot->recalled_at)
    return fail(errc::recalled, which + " has been recalled", "release.recalled", args);
  if (lot->status == lot_status::quarantined)
    return fail(errc::quarantined,
                which + " is quarantined after a positive result and can never be released",
                "release.quarantined", args);
  if (lot->status == lot_status::released)
    return fail(errc::already_released, which + " is already released", "release.already", args);
  auto q = c.query(
      "SELECT count(*), count(r.sample_id), count(CASE WHEN r.outcome = 'positive' THEN 1 END)"
      " FROM samples s LEFT JOIN results r ON r.sample_id = s.id WHERE s.lot_id = ?");
  q.with(id);
  q.step();
  const auto samples = q.int64(0), results = q.int64(1), positive = q.int64(2);
  if (samples == 0)
    return fail(errc::no_samples, which + " has no sample: take at least one", "release.no_samples",
                args);
  if (results < samples)
    return fail(errc::results_pending,
                which + ": " + std::to_string(samples - results) + " of " +
                    std::to_string(samples) + " samples have no result yet",
                "release.results_pending",
                {{"lot", std::to_string(id)},
                 {"missing", std::to_string(samples - results)},
                 {"samples", std::to_string(samples)}});
  if (positive > 0)
    return fail(errc::quarantined, which + " has a positive result", "release.positive", args);
  auto d = c.query("SELECT count(*) FROM disinfections WHERE lot_id = ? AND performed_at >= ?");
  d.with(id, seconds(lot->intake_at));
  d.step();
  if (d.int64(0) == 0)
    return fail(errc::no_disinfection,
                which + " has no disinfection on record at or after its intake",
                "release.no_disinfection", args);
  const auto category = codec::find_category(lot->category);
  if (category && category->imported &&
      (lot->customs_number.empty() || lot->quarantine_certificate.empty()))
    return fail(errc::documents_missing,
                which + " is imported and lacks its customs or quarantine document",
                "release.documents", args);
  c.query("UPDATE lots SET status = 'released', released_at = ? WHERE id = ?")
      .with(seconds(ctx.at), id)
      .run();
  lot->status = lot_status::released;
  lot->released_at = ctx.at;
  append_event(c, ctx, "lot.release", lot_subject(id),
               json::object{{"samples", samples}, {"negative", samples - positive}});
  return *lot;
}

}  // namespace coldtrace::storage::sql::ops
