// coldtrace export: the ledger's records as XLSX or CSV for people, read from the database
// file as the local administrator (every unit, or --unit N). The format follows --out's
// extension; the headers are Chinese unless --lang en.
#include "tools/cli_ledger.hpp"

#include <fstream>
#include <iostream>
#include <tuple>

namespace coldtrace::cli {
namespace {

struct export_args {
  std::string db, out, from, to, lang = "zh";
  std::vector<std::string> kinds;
  std::int64_t unit = 0, lot = 0;
};

void run_export(const export_args& a) {
  if (a.db.empty()) usage_error("export: --db is required");
  if (a.out.empty()) usage_error("export: --out is required");
  storage::export_query q;
  if (a.kinds.empty() || (a.kinds.size() == 1 && a.kinds[0] == "all")) {
    q.kinds.assign(storage::all_export_kinds.begin(), storage::all_export_kinds.end());
  } else {
    for (const auto& k : a.kinds) {
      auto kind = storage::export_kind_from(k);
      if (!kind)
        usage_error("no export \"" + k +
                    "\"; there are lots, tests, disinfections, codes, dispatches, receipts,"
                    " sales and all");
      q.kinds.push_back(*kind);
    }
  }
  if (a.unit) q.unit = a.unit;
  if (a.lot) {
    if (!a.from.empty() || !a.to.empty())
      usage_error("--lot exports the whole lot: no --from/--to");
    q.lot = a.lot;
  } else {
    std::tie(q.from, q.to) = export_period(a.from, a.to);
  }
  if (a.lang != "zh" && a.lang != "en") usage_error("--lang must be zh or en");
  const auto lang = a.lang == "en" ? storage::language::en : storage::language::zh;
  const auto ext = std::filesystem::path(a.out).extension();
  if (ext != ".xlsx" && ext != ".csv") usage_error("--out must end in .xlsx or .csv");
  const auto format = ext == ".csv" ? storage::export_format::csv : storage::export_format::xlsx;

  auto ledger = open_ledger(a.db, true);
  const auto tables = ledger_or_exit(ledger->export_records(storage::actor::local_admin(), q));
  const auto bytes = ledger_or_exit(storage::render(tables, lang, format));
  std::ofstream f{a.out, std::ios::binary | std::ios::trunc};
  if (!(f << bytes) || !f.flush()) {
    std::cerr << "coldtrace: cannot write " << a.out << "\n";
    throw cli_exit{1};
  }
  for (const auto& t : tables) std::cout << to_string(t.kind) << ": " << t.rows.size() << " rows\n";
  std::cout << "written to " << a.out << "\n";
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto a = std::make_shared<export_args>();
  auto* cmd = app.add_subcommand(
      "export", "Records of a period (or one lot) as XLSX or CSV for people; format by --out");
  // Not ->required(): `export epcis` (cli_epcis.cpp) takes its own, and CLI11 would ask for
  // these too. run_export checks them.
  cmd->add_option("--db", a->db, "Database file, or a postgresql:// URI (required)");
  cmd->add_option("--out", a->out,
                  "The file to write: .xlsx (a sheet per kind) or .csv (required)");
  cmd->add_option("--kind", a->kinds,
                  "lots, tests, disinfections, codes, dispatches, receipts, sales or all"
                  " (the default; repeatable)");
  cmd->add_option("--unit", a->unit, "Only this unit's records (default: every unit)");
  cmd->add_option("--lot", a->lot, "Everything about this lot, a sheet per kind");
  cmd->add_option("--from", a->from, "First day, YYYY-MM-DD (default: 29 days before --to)");
  cmd->add_option("--to", a->to, "Last day, YYYY-MM-DD (default: today)");
  cmd->add_option("--lang", a->lang, "Headers and terms: zh (default) or en");
  cmd->callback([a, cmd] {
    if (cmd->get_subcommands().empty()) run_export(*a);
  });
}

}  // namespace coldtrace::cli
