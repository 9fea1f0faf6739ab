#include "server/api/report_sheets.hpp"

#include "codec/day.hpp"
#include "codec/identifiers.hpp"

#include <cmath>

namespace coldtrace::server::api {
namespace {

using codec::cell;
using storage::language;

struct words {
  const char* zh;
  const char* en;
};

std::string say(words w, language l) {
  return l == language::zh ? w.zh : w.en;
}

std::string day_of(storage::time_point t) {
  const auto d = std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
  return codec::format_day(static_cast<std::uint32_t>(d));
}

// Tonnes to three decimals (kilograms), as the report prints them.
double tonnes(std::int64_t grams) {
  return std::round(static_cast<double>(grams) / 1e3) / 1e3;
}

std::string category_name(const std::string& name, language l) {
  auto c = codec::find_category(name);
  if (!c) return name;
  return std::string{l == language::zh ? c->name_zh : c->name_en};
}

words kind_words(storage::unit_kind k) {
  switch (k) {
    case storage::unit_kind::warehouse: return {"集中监管仓", "Supervision warehouses"};
    case storage::unit_kind::producer: return {"生产加工单位", "Production and processing units"};
    case storage::unit_kind::caterer: return {"餐饮服务单位", "Catering units"};
    case storage::unit_kind::seller: return {"销售单位", "Sales units"};
    case storage::unit_kind::regulator: return {"监管部门", "Regulators"};
  }
  return {"?", "?"};
}

codec::sheet summary(const storage::stats_report& s, language l) {
  std::int64_t lots = 0, grams = 0, pending = 0;
  for (const auto& c : s.by_category) {
    lots += c.lots;
    grams += c.net_weight_g;
    pending += c.results_pending;
  }
  codec::sheet out{
      say({"概况", "Summary"}, l), {say({"指标", "Figure"}, l), say({"数值", "Value"}, l)}, {}};
  auto row = [&](words w, cell v) { out.rows.push_back({say(w, l), std::move(v)}); };
  row({"统计期间起", "Period from"}, day_of(s.range.from));
  row({"统计期间止", "Period to"}, day_of(s.range.to - std::chrono::days{1}));
  row({"入仓批次", "Lots taken in"}, lots);
  row({"入仓量（吨）", "Tonnes taken in"}, tonnes(grams));
  row({"采样份数", "Samples taken"}, s.samples_taken);
  row({"检测阴性", "Results negative"}, s.results_negative);
  row({"检测阳性", "Results positive"}, s.results_positive);
  row({"待检样品", "Samples pending"}, pending);
  row({"消毒次数", "Disinfections"}, s.disinfections);
  row({"放行批次", "Lots released"}, s.lots_released);
  row({"阳性封存批次", "Lots quarantined"}, s.lots_quarantined);
  row({"赋码数量", "Codes issued"}, s.codes_issued);
  row({"扫码查验次数", "Scans"}, s.verifications);
  row({"市场主体（家）", "Market units"}, s.units_registered);
  row({"本期新增市场主体（家）", "Market units new in the period"}, s.units_new);
  row({"监督检查次数", "Inspections"}, s.inspections);
  row({"检查追溯码数", "Codes checked in inspections"}, s.inspected_codes);
  row({"发现无码商品件数", "Uncoded items found"}, s.uncoded_items);
  row({"无码商品查处记录", "Uncoded-goods findings"}, s.findings.opened);
  row({"完成整改", "Rectifications done"}, s.findings.rectified);
  row({"逾期未整改", "Findings overdue"}, s.findings.overdue);
  row({"召回次数", "Recalls"}, s.recalls);
  row({"处置完毕的召回", "Recalls completed"}, s.recall_progress.recalls_completed);
  return out;
}

codec::sheet by_category(const storage::stats_report& s, language l) {
  codec::sheet out{
      say({"分品类", "By category"}, l),
      {say({"品类", "Category"}, l), say({"入仓批次", "Lots in"}, l),
       say({"入仓量（吨）", "Tonnes in"}, l), say({"采样（份）", "Samples"}, l),
       say({"阴性", "Negative"}, l), say({"阳性", "Positive"}, l), say({"待检", "Pending"}, l),
       say({"消毒（次）", "Disinfections"}, l), say({"阳性封存（批）", "Lots quarantined"}, l),
       say({"召回（次）", "Recalls"}, l)},
      {}};
  storage::category_figures total{.category = say({"合计", "Total"}, l)};
  auto add = [&](const storage::category_figures& c, std::string name) {
    out.rows.push_back({std::move(name), c.lots, tonnes(c.net_weight_g), c.samples_taken,
                        c.results_negative, c.results_positive, c.results_pending, c.disinfections,
                        c.lots_quarantined, c.recalls});
  };
  for (const auto& c : s.by_category) {
    add(c, category_name(c.category, l));
    total.lots += c.lots;
    total.net_weight_g += c.net_weight_g;
    total.samples_taken += c.samples_taken;
    total.results_negative += c.results_negative;
    total.results_positive += c.results_positive;
    total.results_pending += c.results_pending;
    total.disinfections += c.disinfections;
    total.lots_quarantined += c.lots_quarantined;
    total.recalls += c.recalls;
  }
  add(total, total.category);
  return out;
}

codec::sheet units(const storage::stats_report& s, language l) {
  codec::sheet out{
      say({"市场主体", "Units by kind"}, l),
      {say({"主体类型", "Kind"}, l), say({"期末登记（家）", "Registered at the end"}, l),
       say({"本期新增（家）", "New in the period"}, l)},
      {}};
  for (const auto& [k, n] : s.units_new_by_kind) {
    std::int64_t registered = 0;
    for (const auto& [kind, count] : s.units_by_kind)
      if (kind == k) registered = count;
    out.rows.push_back({say(kind_words(k), l), registered, n});
  }
  out.rows.push_back({say({"合计", "Total"}, l), s.units_registered, s.units_new});
  return out;
}

codec::sheet recalls(const storage::stats_report& s, language l) {
  const auto& p = s.recall_progress;
  codec::sheet out{
      say({"召回", "Recalls"}, l), {say({"指标", "Figure"}, l), say({"数值", "Value"}, l)}, {}};
  auto row = [&](words w, cell v) { out.rows.push_back({say(w, l), std::move(v)}); };
  row({"召回次数", "Recalls made"}, s.recalls);
  row({"处置完毕的召回", "Recalls completed"}, p.recalls_completed);
  row({"涉及持有单位", "Holders of recalled goods"}, p.holders);
  row({"已处置的持有单位", "Holders that acted"}, p.holders_answered);
  // A share of holders, in percent to one decimal; empty when there was no holder.
  row({"处置完成率（%）", "Holders that acted (%)"},
      p.holders ? cell{std::round(1000.0 * static_cast<double>(p.holders_answered) /
                                  static_cast<double>(p.holders)) /
                       10.0}
                : cell{});
  for (const auto& c : s.by_category)
    out.rows.push_back(
        {say({"召回次数：", "Recalls: "}, l) + category_name(c.category, l), c.recalls});
  return out;
}

}  // namespace

std::vector<codec::sheet> report_sheets(const storage::stats_report& s, language lang) {
  return {summary(s, lang), by_category(s, lang), units(s, lang), recalls(s, lang)};
}

}  // namespace coldtrace::server::api
