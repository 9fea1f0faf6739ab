// The ledger's commands: db init | db demo, audit verify, stats, trace, recall. They act on
// the database file directly, as the local administrator (actor::local_admin()).
#include "codec/day.hpp"
#include "codec/identifiers.hpp"
#include "codec/url.hpp"
#include "storage/demo.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tools/cli.hpp"

#include <sys/stat.h>

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace coldtrace::cli {
namespace {

namespace json = boost::json;
using storage::actor;

template <class T>
T or_exit(result<T> r, int status) {
  if (!r) {
    std::cerr << "coldtrace: " << r.error().message << "\n";
    throw cli_exit{status};
  }
  return std::move(*r);
}

std::unique_ptr<storage::sqlite_ledger> open_ledger(const std::string& file, bool must_exist,
                                                    std::shared_ptr<codec::signing_key> key = {}) {
  if (must_exist && !std::filesystem::exists(file)) {
    std::cerr << "coldtrace: no database at " << file << " (create one with: coldtrace db init)\n";
    throw cli_exit{2};
  }
  return or_exit(storage::sqlite_ledger::open({file, std::move(key)}), 2);
}

storage::time_point day_start(std::uint32_t day) {
  return storage::time_point{std::chrono::days{day}};
}
std::string day_text(storage::time_point t) {
  return codec::format_day(static_cast<std::uint32_t>(
      std::chrono::floor<std::chrono::days>(t).time_since_epoch().count()));
}
std::string kg(std::int64_t grams) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(grams) / 1000.0);
  return buf;
}
std::string tonnes(std::int64_t grams) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(grams) / 1e6);
  return buf;
}
std::string path_text(const bytes& path) {
  return path.empty() ? "root" : to_hex(path);
}

// ---- db init, db demo -------------------------------------------------------------------

struct demo_options {
  std::string db, keys, host = "localhost:8080", start, token_out;
};

void demo(const demo_options& o) {
  const auto key_file = std::filesystem::path(o.keys) / "signing-key.pem";
  auto key =
      std::make_shared<codec::signing_key>(or_exit(codec::signing_key::load_pem(key_file), 2));
  const std::uint32_t start =
      o.start.empty() ? codec::today() - 30 : or_exit(codec::parse_day(o.start), 2);
  auto ledger = open_ledger(o.db, false, key);
  auto d = or_exit(storage::populate_demo(*ledger, day_start(start)), 1);
  std::cout << "demo data in " << o.db << ": " << d.units << " units, " << d.lots << " lots, "
            << d.codes << " codes, " << d.sales << " sales; lot " << d.recalled_lot
            << " recalled after a positive result\n";
  const char* labels[] = {"valid at a shop", "not released", "recalled"};
  for (std::size_t i = 0; i < d.sample_codes.size() && i < 3; ++i) {
    auto c = or_exit(ledger->get_code(actor::local_admin(), d.sample_codes[i]), 1);
    std::cout << "code " << c.id << " (" << labels[i]
              << "): " << or_exit(codec::make_code_url(o.host, c.signed_code), 2) << "\n";
  }
  if (o.token_out.empty()) {
    std::cout << "admin token (shown once): " << d.admin_token << "\n";
  } else {
    std::ofstream(o.token_out) << d.admin_token << "\n";
    ::chmod(o.token_out.c_str(), 0600);
    std::cout << "admin token written to " << o.token_out << " (mode 0600)\n";
  }
}

// ---- audit verify -----------------------------------------------------------------------

void audit_verify(const std::string& db) {
  auto r = or_exit(storage::verify_audit_chain(db), 2);
  if (r.intact()) {
    std::cout << "audit chain intact: " << r.events << " events\n";
    return;
  }
  std::cout << "audit chain BROKEN at event " << *r.first_bad << ": " << r.problem << "\n";
  throw cli_exit{1};
}

// ---- stats --------------------------------------------------------------------------------

struct stats_options {
  std::string db, from, to, lang = "zh";
  bool json = false;
};

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
  auto line = [&](const char* zh, const char* e, std::int64_t n) {
    std::cout << (en ? e : zh) << ": " << n << "\n";
  };
  line("采样份数", "Samples taken", s.samples_taken);
  line("检测阴性", "Results negative", s.results_negative);
  line("检测阳性", "Results positive", s.results_positive);
  line("放行批次", "Lots released", s.lots_released);
  line("阳性封存批次", "Lots quarantined", s.lots_quarantined);
  line("召回批次", "Recalls", s.recalls);
  line("赋码数量", "Codes issued", s.codes_issued);
  line("扫码查验次数", "Verifications", s.verifications);
  line("销售核验次数", "Sale checks", s.sale_checks);
  for (const auto& [v, n] : s.sale_checks_denied)
    std::cout << "  " << (en ? "denied, " : "拒绝：") << to_string(v) << ": " << n << "\n";
  std::cout << (en ? "Sales" : "销售笔数") << ": " << s.sales << " (" << kg(s.sold_g) << " kg)\n";
  std::cout << (en ? "Registered units:\n" : "登记主体:\n");
  for (const auto& [k, n] : s.units_by_kind)
    std::cout << "  " << (en ? to_string(k) : storage::describe_zh(k)) << ": " << n << "\n";
  line("执法检查次数", "Inspections", s.inspections);
  line("检查追溯码数", "Codes checked in inspections", s.inspected_codes);
  line("发现无码商品件数", "Uncoded items found", s.uncoded_items);
}

json::object stats_json(const storage::stats_report& s) {
  json::array intake, denied, verifications, units;
  for (const auto& c : s.intake)
    intake.push_back(
        {{"category", c.category}, {"lots", c.lots}, {"net_weight_g", c.net_weight_g}});
  for (const auto& [v, n] : s.sale_checks_denied)
    denied.push_back({{"verdict", to_string(v)}, {"count", n}});
  for (const auto& [v, n] : s.verifications_by_verdict)
    verifications.push_back({{"verdict", to_string(v)}, {"count", n}});
  for (const auto& [k, n] : s.units_by_kind)
    units.push_back({{"kind", to_string(k)}, {"count", n}});
  return {{"from", day_text(s.range.from)},
          {"to", day_text(s.range.to - std::chrono::days{1})},
          {"intake", intake},
          {"samples_taken", s.samples_taken},
          {"results_negative", s.results_negative},
          {"results_positive", s.results_positive},
          {"lots_released", s.lots_released},
          {"lots_quarantined", s.lots_quarantined},
          {"recalls", s.recalls},
          {"codes_issued", s.codes_issued},
          {"verifications", s.verifications},
          {"verifications_by_verdict", verifications},
          {"sale_checks", s.sale_checks},
          {"sale_checks_denied", denied},
          {"sales", s.sales},
          {"sold_g", s.sold_g},
          {"units_by_kind", units},
          {"inspections", s.inspections},
          {"inspected_codes", s.inspected_codes},
          {"uncoded_items", s.uncoded_items}};
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
  auto s = or_exit(ledger->stats(actor::local_admin(), {day_start(from), day_start(to + 1)}), 2);
  if (o.json)
    std::cout << json::serialize(stats_json(s)) << "\n";
  else
    print_stats(s, o.lang == "en");
}

// ---- trace, recall -----------------------------------------------------------------------

struct trace_options {
  std::string db, code;
  std::int64_t lot = 0;
};

void print_node(const storage::trace_node& n, std::size_t indent) {
  std::cout << std::string(indent * 2, ' ') << "code " << n.id << " [" << path_text(n.split_path)
            << "] " << n.holder_name << " (unit " << n.holder << "): " << kg(n.quantity_g)
            << " kg, " << kg(n.remaining_g) << " kg left, " << to_string(n.status) << "\n";
}

void trace(const trace_options& o) {
  auto ledger = open_ledger(o.db, true);
  const auto me = actor::local_admin();
  storage::trace_result t;
  if (!o.code.empty()) {
    const auto code = or_exit(codec::parse_code_text(o.code), 2);
    auto v = or_exit(ledger->verify(code, std::chrono::floor<std::chrono::seconds>(
                                              std::chrono::system_clock::now())),
                     2);
    std::cout << "verdict: " << to_string(v.verdict) << " — " << describe_zh(v.verdict) << "\n";
    if (!v.facts) throw cli_exit{1};
    t = or_exit(ledger->trace_code(me, v.facts->code), 1);
  } else {
    t = or_exit(ledger->trace_lot(me, o.lot), 1);
  }
  std::cout << "lot " << t.lot.id << ": " << t.lot.product << " · " << t.lot.category << " · "
            << t.lot.origin << " · " << kg(t.lot.net_weight_g) << " kg · intake "
            << day_text(t.lot.intake_at) << " · " << to_string(t.lot.status)
            << (t.lot.recalled_at ? " · RECALLED" : "") << "\n";
  for (std::size_t i = 0; i < t.chain.size(); ++i) print_node(t.chain[i], i);
  const std::size_t base = t.chain.empty() ? 0 : t.chain.back().split_path.size();
  for (const auto& n : t.descendants)
    print_node(n, n.split_path.size() - base + t.chain.size() - 1);
}

void recall(const std::string& db, std::int64_t lot, const std::string& reason) {
  auto ledger = open_ledger(db, true);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto r = or_exit(ledger->recall({actor::local_admin(), now}, {lot, reason}), 1);
  std::cout << "lot " << lot << " recalled (recall " << r.recall.id << "): " << r.codes_blocked
            << " codes blocked\n";
  for (const auto& h : r.holders)
    std::cout << "  " << h.unit_name << " (unit " << h.unit << "): holds " << kg(h.held_g)
              << " kg, in transit " << kg(h.in_transit_g) << " kg, " << h.codes << " codes\n";
}

}  // namespace

void add_db_commands(CLI::App& app) {
  auto* db = app.add_subcommand("db", "Create the ledger's database, or fill it with demo data");
  db->require_subcommand(1);
  auto init_db = std::make_shared<std::string>();
  auto* init =
      db->add_subcommand("init", "Create the database (or migrate it) and print its version");
  init->add_option("--db", *init_db, "Database file")->required();
  init->callback([init_db] {
    const int v = or_exit(storage::migrate_database(*init_db), 2);
    std::cout << *init_db << ": schema version " << v << "\n";
  });

  auto d = std::make_shared<demo_options>();
  auto* demo_cmd = db->add_subcommand("demo", "Fill an empty database with realistic demo data");
  demo_cmd->add_option("--db", d->db, "Database file")->required();
  demo_cmd->add_option("--keys", d->keys, "Key directory holding signing-key.pem")->required();
  demo_cmd->add_option("--host", d->host, "Host for the printed code URLs")->capture_default_str();
  demo_cmd->add_option("--start", d->start,
                       "First day of the demo month, YYYY-MM-DD (default: 30 days ago)");
  demo_cmd->add_option("--token-out", d->token_out, "Write the admin token to this file (0600)");
  demo_cmd->callback([d] { demo(*d); });

  auto audit = app.add_subcommand("audit", "Check the audit chain");
  audit->require_subcommand(1);
  auto audit_db = std::make_shared<std::string>();
  auto* verify = audit->add_subcommand(
      "verify", "Exit 0 when the chain is intact; otherwise name the first bad event and exit 1");
  verify->add_option("--db", *audit_db, "Database file")->required();
  verify->callback([audit_db] { audit_verify(*audit_db); });

  auto s = std::make_shared<stats_options>();
  auto* st = app.add_subcommand("stats", "The bureau's figures for a period");
  st->add_option("--db", s->db, "Database file")->required();
  st->add_option("--from", s->from, "First day, YYYY-MM-DD (default: start of the half-year)");
  st->add_option("--to", s->to, "Last day, inclusive, YYYY-MM-DD (default: today)");
  st->add_flag("--json", s->json, "Print JSON");
  st->add_option("--lang", s->lang, "zh or en")->capture_default_str();
  st->callback([s] { stats(*s); });

  auto t = std::make_shared<trace_options>();
  auto* tr = app.add_subcommand("trace", "The chain up to the root and every code below");
  tr->add_option("--db", t->db, "Database file")->required();
  auto* by_lot = tr->add_option("--lot", t->lot, "Lot id");
  auto* by_code = tr->add_option("--code", t->code, "Code URL or digits");
  by_lot->excludes(by_code);
  tr->callback([t, tr] {
    if (tr->count("--lot") + tr->count("--code") != 1) {
      std::cerr << "coldtrace: trace needs --lot N or --code URL\n";
      throw cli_exit{2};
    }
    trace(*t);
  });

  auto r = std::make_shared<std::tuple<std::string, std::int64_t, std::string>>();
  auto* rc = app.add_subcommand("recall", "Recall a lot: block every code of it, list the holders");
  rc->add_option("--db", std::get<0>(*r), "Database file")->required();
  rc->add_option("--lot", std::get<1>(*r), "Lot id")->required();
  rc->add_option("--reason", std::get<2>(*r), "Why, for the record")->required();
  rc->callback([r] { recall(std::get<0>(*r), std::get<1>(*r), std::get<2>(*r)); });
}

}  // namespace coldtrace::cli
