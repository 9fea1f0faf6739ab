// coldtrace stats: the bureau's figures for a period, as text (zh or en) or as the JSON that
// GET /api/v1/stats answers — written by the same function (server/api/json_records.hpp), so
// the dashboard, the API and a script reading the CLI never disagree.
#include "codec/day.hpp"
#include "codec/identifiers.hpp"
#include "server/api/json_records.hpp"
#include "tools/cli.hpp"
#include "tools/cli_ledger.hpp"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iostream>

namespace coldtrace::cli {
namespace {

struct stats_options {
  std::string db, from, to, lang = "zh";
  bool json = false;
};

std::pair<const char*, const char*> scan_kind_names(storage::scan_kind k) {
  switch (k) {
    case storage::scan_kind::consumer: return {"消费者扫码", "By consumers"};
    case storage::scan_kind::inspector: return {"执法人员扫码", "By inspectors"};
    case storage::scan_kind::counter: return {"经营者柜台扫码", "At counters"};
  }
  return {"?", "?"};
}

std::string tonnes(std::int64_t grams) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(grams) / 1e6);
  return buf;
}

void print_stats(const storage::stats_report& s, bool en) {
  auto category_name = [&](const std::string& c) -> std::string {
    auto info = codec::find_category(c);
    return info ? std::string{en ? info->name_en : info->name_zh} : c;
  };
  const std::string to_incl = day_text(s.range.to - std::chrono::days{1});
  std::cout << (en ? "Period " : "统计期间 ") << day_text(s.range.from) << (en ? " to " : " 至 ")
            << to_incl << "\n"
            << (en ? "Taken into supervision warehouses:\n" : "集中监管仓入库:\n");
  for (const auto& c : s.intake)
    std::cout << "  " << category_name(c.category) << ": " << c.lots << (en ? " lots, " : " 批, ")
              << tonnes(c.net_weight_g) << (en ? " t\n" : " 吨\n");
  std::cout << (en ? "By category:\n" : "分品类:\n");
  for (const auto& c : s.by_category) {
    auto n = [](std::int64_t v) { return std::to_string(v); };
    std::cout << "  " << category_name(c.category) << ": "
              << (en ? n(c.samples_taken) + " samples (" + n(c.results_negative) + " negative, " +
                           n(c.results_positive) + " positive, " + n(c.results_pending) +
                           " pending), " + n(c.disinfections) + " disinfections, " +
                           n(c.lots_quarantined) + " lots quarantined, " + n(c.recalls) +
                           " recalls\n"
                     : "采样 " + n(c.samples_taken) + " 份（阴性 " + n(c.results_negative) +
                           "，阳性 " + n(c.results_positive) + "，待检 " + n(c.results_pending) +
                           "），消毒 " + n(c.disinfections) + " 次，阳性封存 " +
                           n(c.lots_quarantined) + " 批，召回 " + n(c.recalls) + " 次\n");
  }
  auto line = [&](const char* zh, const char* e, std::int64_t n) {
    std::cout << (en ? e : zh) << ": " << n << "\n";
  };
  line("采样份数", "Samples taken", s.samples_taken);
  line("检测阴性", "Results negative", s.results_negative);
  line("检测阳性", "Results positive", s.results_positive);
  line("放行批次", "Lots released", s.lots_released);
  line("阳性封存批次", "Lots quarantined", s.lots_quarantined);
  line("召回批次", "Recalls", s.recalls);
  line("消毒次数", "Disinfections", s.disinfections);
  line("赋码数量", "Codes issued", s.codes_issued);
  line("扫码查验次数", "Scans", s.verifications);
  line("被扫码的追溯码数", "Distinct codes scanned", s.codes_scanned);
  for (const auto& k : s.scans_by_kind) {
    const auto [zh, e] = scan_kind_names(k.kind);
    std::cout << "  " << (en ? e : zh) << ": " << k.scans << (en ? " scans, " : " 次，") << k.codes
              << (en ? " codes\n" : " 个码\n");
  }
  line("销售核验次数", "Sale checks", s.sale_checks);
  for (const auto& [v, n] : s.sale_checks_denied)
    std::cout << "  " << (en ? "denied, " : "拒绝：") << to_string(v) << ": " << n << "\n";
  std::cout << (en ? "Sales" : "销售笔数") << ": " << s.sales << " (" << kg(s.sold_g) << " kg)\n";
  std::cout << (en ? "Registered units:\n" : "登记主体:\n");
  for (const auto& [k, n] : s.units_by_kind)
    std::cout << "  " << (en ? to_string(k) : storage::describe_zh(k)) << ": " << n << "\n";
  std::cout << (en ? "Market units: " : "市场主体合计: ") << s.units_registered
            << (en ? " (new in the period: " : "（本期新增 ") << s.units_new
            << (en ? ")\n" : "）\n");
  const auto& p = s.recall_progress;
  std::cout << (en ? "Recall follow-up: holders answered " : "召回处置: 持有单位已处置 ")
            << p.holders_answered << "/" << p.holders
            << (en ? ", recalls completed " : "，全部处置完毕的召回 ") << p.recalls_completed << "/"
            << s.recalls << "\n";
  line("执法检查次数", "Inspections", s.inspections);
  line("检查追溯码数", "Codes checked in inspections", s.inspected_codes);
  line("发现无码商品件数", "Uncoded items found", s.uncoded_items);
  line("无码商品查处记录", "Uncoded-goods findings", s.findings.opened);
  line("完成整改", "Rectifications done", s.findings.rectified);
  line("逾期未整改", "Findings overdue", s.findings.overdue);
}

void stats(const stats_options& o) {
  if (o.lang != "zh" && o.lang != "en") {
    std::cerr << "coldtrace: --lang is zh or en\n";
    throw cli_exit{2};
  }
  // By default the current half-year up to today, the period of the bureau's report.
  const std::uint32_t today = codec::today();
  const auto ymd = std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{today}}};
  const auto half = std::chrono::sys_days{
      ymd.year() / (ymd.month() <= std::chrono::June ? std::chrono::January : std::chrono::July) /
      1};
  const std::uint32_t from = o.from.empty()
                                 ? static_cast<std::uint32_t>(half.time_since_epoch().count())
                                 : or_exit(codec::parse_day(o.from), 2);
  const std::uint32_t to = o.to.empty() ? today : or_exit(codec::parse_day(o.to), 2);
  auto ledger = open_ledger(o.db, true);
  auto s = or_exit(
      ledger->stats(storage::actor::local_admin(), {day_start(from), day_start(to + 1)}), 2);
  if (o.json)
    std::cout << boost::json::serialize(server::api::to_json(s)) << "\n";
  else
    print_stats(s, o.lang == "en");
}

}  // namespace

void add_stats_command(CLI::App& app) {
  auto s = std::make_shared<stats_options>();
  auto* st = app.add_subcommand("stats", "The bureau's figures for a period");
  st->add_option("--db", s->db, "Database file, or a postgresql:// URI")->required();
  st->add_option("--from", s->from, "First day, YYYY-MM-DD (default: start of the half-year)");
  st->add_option("--to", s->to, "Last day, inclusive, YYYY-MM-DD (default: today)");
  st->add_flag("--json", s->json, "Print JSON, as GET /api/v1/stats answers");
  st->add_option("--lang", s->lang, "zh or en")->capture_default_str();
  st->callback([s] { stats(*s); });
}

}  // namespace coldtrace::cli
