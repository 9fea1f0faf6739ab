// The JSON of the ledger's reports: verification facts, sale checks, recalls, traces,
// inspections, audit events and statistics.
#include "codec/identifiers.hpp"
#include "server/api/json_findings.hpp"
#include "server/api/json_records.hpp"
#include "server/json.hpp"

namespace coldtrace::server::api {
namespace {

json::value optional_day(const std::optional<storage::time_point>& t) {
  if (!t) return nullptr;
  return json::value(iso_day(*t));
}

json::object party(storage::unit_id id, const std::string& name, json::storage_ptr sp = {}) {
  return json::object({{"id", id}, {"name", name}}, std::move(sp));
}

// A verdict count list: [{"verdict": "...", "count": n}].
json::array verdict_counts(const std::vector<std::pair<coldtrace::verdict, std::int64_t>>& v) {
  json::array out;
  for (const auto& [verdict, n] : v) out.push_back({{"verdict", to_string(verdict)}, {"count", n}});
  return out;
}

// The lot's tests as anyone may see them: type, outcome (null while pending), lab, days.
json::array tests_json(const std::vector<storage::public_test>& tests,
                       const json::storage_ptr& sp) {
  json::array out(sp);
  out.reserve(tests.size());
  for (const auto& t : tests)
    out.push_back(json::object(
        {{"type", to_string(t.type)},
         {"collected_day", iso_day(t.collected_at)},
         {"outcome", t.outcome ? json::value(to_string(*t.outcome)) : json::value(nullptr)},
         {"lab", t.outcome ? json::value(t.lab) : json::value(nullptr)},
         {"reported_day", optional_day(t.reported_at)}},
        sp));
  return out;
}

// What a phone shows, and all the public answer carries (DESIGN §3): the lot's facts in words
// (names in zh and en beside the API names), its tests and disinfection, and the unit that
// holds this code. No chain, no other units, no quantities: GET /api/v1/trace is for those.
json::object facts_json(const storage::code_facts& f, const json::storage_ptr& sp) {
  json::object o({{"code", f.code},
                  {"number", f.number},
                  {"lot", f.lot},
                  {"product", f.product},
                  {"category", f.category},
                  {"origin", f.origin}},
                 sp);
  if (auto c = codec::find_category(f.category)) {
    o["category_zh"] = c->name_zh;
    o["category_en"] = c->name_en;
  }
  if (auto c = codec::find_country(f.origin)) {
    o["origin_zh"] = c->name_zh;
    o["origin_en"] = c->name_en;
  }
  o["warehouse"] = party(f.warehouse, f.warehouse_name, sp);
  o["intake_day"] = iso_day(f.intake_at);
  o["lot_status"] = to_string(f.lot_state);
  o["released_day"] = optional_day(f.released_at);
  o["recalled_day"] = optional_day(f.recalled_at);
  o["recall_reason"] = f.recalled_at ? json::value(f.recall_reason) : json::value(nullptr);
  o["samples"] =
      json::object({{"taken", f.samples}, {"negative", f.negative}, {"positive", f.positive}}, sp);
  o["tests"] = tests_json(f.tests, sp);
  o["disinfection"] = f.last_disinfection_at
                          ? json::value(json::object({{"day", iso_day(*f.last_disinfection_at)},
                                                      {"agent", f.last_disinfection_agent}},
                                                     sp))
                          : json::value(nullptr);
  o["holder"] = party(f.holder, f.holder_name, sp);
  o["code_status"] = to_string(f.status);
  o["issue_day"] = iso_day(f.issued_at);
  return o;
}

}  // namespace

json::object verdict_json(coldtrace::verdict v, json::storage_ptr sp) {
  return json::object(
      {{"verdict", to_string(v)}, {"message_zh", describe_zh(v)}, {"message_en", describe_en(v)}},
      std::move(sp));
}

json::object to_json(const storage::verification& v, json::storage_ptr sp) {
  json::object o = verdict_json(v.verdict, sp);
  o["facts"] = v.facts ? json::value(facts_json(*v.facts, sp)) : json::value(nullptr);
  return o;
}

json::object to_json(const storage::sale_check_result& r) {
  json::object o = verdict_json(r.verdict);
  o["allowed"] = r.verdict == coldtrace::verdict::valid;
  o["code"] = r.code ? json::value(*r.code) : json::value(nullptr);
  o["sale"] = r.sale ? json::value(*r.sale) : json::value(nullptr);
  o["remaining_g"] = r.remaining_g;
  return o;
}

json::object to_json(const storage::recall_result& r) {
  json::array holders;
  for (const auto& h : r.holders)
    holders.push_back({{"unit", party(h.unit, h.unit_name)},
                       {"held_g", h.held_g},
                       {"in_transit_g", h.in_transit_g},
                       {"codes", h.codes}});
  return {{"recall", to_json(r.recall)},
          {"holders", std::move(holders)},
          {"codes_blocked", r.codes_blocked}};
}

json::object to_json(const storage::trace_result& t) {
  json::array chain, descendants;
  for (const auto& n : t.chain) chain.push_back(to_json(n));
  for (const auto& n : t.descendants) descendants.push_back(to_json(n));
  return {{"lot", to_json(t.lot)},
          {"chain", std::move(chain)},
          {"descendants", std::move(descendants)}};
}

json::object to_json(const storage::inspection_record& i) {
  json::array codes;
  for (const auto& c : i.codes) {
    json::object o = verdict_json(c.verdict);
    o["code"] = c.code ? json::value(*c.code) : json::value(nullptr);
    codes.push_back(std::move(o));
  }
  json::array findings;
  for (const auto& f : i.findings) findings.push_back(to_json(f));
  // At an unregistered vendor "unit" is null and "vendor" says where.
  return {{"id", i.id},
          {"inspector", i.inspector},
          {"unit", i.unit == 0 ? json::value(nullptr) : json::value(i.unit)},
          {"vendor", i.vendor ? json::value(to_json(*i.vendor)) : json::value(nullptr)},
          {"at", iso_time(i.at)},
          {"codes", std::move(codes)},
          {"uncoded_items", i.uncoded_items},
          {"note", i.note},
          {"findings", std::move(findings)}};
}

json::object to_json(const storage::event_record& e) {
  // The event's data is the canonical JSON the chain hashes; it is shown as JSON, and the
  // hashes let an auditor re-check the chain from this feed alone.
  auto data = parse_json(e.data);
  return {{"seq", e.seq},
          {"at", iso_time(e.at)},
          {"by", {{"account", e.by.account}, {"unit", e.by.unit}, {"role", to_string(e.by.role)}}},
          {"type", e.type},
          {"subject", e.subject},
          {"data", data ? std::move(*data) : json::value(e.data)},
          {"prev_hash", to_hex(e.prev_hash)},
          {"hash", to_hex(e.hash)}};
}

json::object to_json(const storage::stats_report& s) {
  json::array intake, units;
  for (const auto& c : s.intake)
    intake.push_back(
        {{"category", c.category}, {"lots", c.lots}, {"net_weight_g", c.net_weight_g}});
  for (const auto& [k, n] : s.units_by_kind)
    units.push_back({{"kind", to_string(k)}, {"count", n}});
  json::array units_new;
  for (const auto& [k, n] : s.units_new_by_kind)
    units_new.push_back({{"kind", to_string(k)}, {"count", n}});
  json::array by_category;
  for (const auto& c : s.by_category)
    by_category.push_back({{"category", c.category},
                           {"lots", c.lots},
                           {"net_weight_g", c.net_weight_g},
                           {"samples_taken", c.samples_taken},
                           {"results_negative", c.results_negative},
                           {"results_positive", c.results_positive},
                           {"results_pending", c.results_pending},
                           {"disinfections", c.disinfections},
                           {"lots_quarantined", c.lots_quarantined},
                           {"recalls", c.recalls}});
  json::array scans;
  for (const auto& k : s.scans_by_kind)
    scans.push_back({{"kind", to_string(k.kind)}, {"scans", k.scans}, {"codes", k.codes}});
  return {{"from", iso_day(s.range.from)},
          {"to", iso_day(s.range.to - std::chrono::days{1})},
          {"intake", std::move(intake)},
          {"samples_taken", s.samples_taken},
          {"results_negative", s.results_negative},
          {"results_positive", s.results_positive},
          {"lots_released", s.lots_released},
          {"lots_quarantined", s.lots_quarantined},
          {"recalls", s.recalls},
          {"disinfections", s.disinfections},
          {"codes_issued", s.codes_issued},
          {"verifications", s.verifications},
          {"verifications_by_verdict", verdict_counts(s.verifications_by_verdict)},
          {"codes_scanned", s.codes_scanned},
          {"scans_by_kind", std::move(scans)},
          {"sale_checks", s.sale_checks},
          {"sale_checks_denied", verdict_counts(s.sale_checks_denied)},
          {"sales", s.sales},
          {"sold_g", s.sold_g},
          {"units_by_kind", std::move(units)},
          {"units_registered", s.units_registered},
          {"units_new", s.units_new},
          {"units_new_by_kind", std::move(units_new)},
          {"by_category", std::move(by_category)},
          {"recall_progress",
           {{"holders", s.recall_progress.holders},
            {"holders_answered", s.recall_progress.holders_answered},
            {"recalls_completed", s.recall_progress.recalls_completed}}},
          {"inspections", s.inspections},
          {"inspected_codes", s.inspected_codes},
          {"uncoded_items", s.uncoded_items},
          {"findings_opened", s.findings.opened},
          {"rectifications_done", s.findings.rectified},
          {"findings_overdue", s.findings.overdue}};
}

}  // namespace coldtrace::server::api
