// coldtrace import: a unit's receipts, dispatches or sales from a spreadsheet (CSV or XLSX, the
// templates of GET /api/v1/import/templates/...), run as the unit's staff on the local
// database. Each row is a batch line under its reference, so an import run again writes only
// the rows that were not written before. --dry-run checks every row and writes nothing.
#include "server/api/api.hpp"
#include "server/api/import_rows.hpp"
#include "server/keys.hpp"
#include "server/messages.hpp"
#include "tools/cli_ledger.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace coldtrace::cli {
namespace {

struct import_args {
  std::string db, keys, file, report, lang = "zh";
  std::vector<std::string> hosts{"localhost:8080"};
  std::int64_t unit = 0;
  bool dry_run = false;
};

std::string read_file(const std::string& path) {
  std::ifstream f{path, std::ios::binary};
  if (!f) usage_error("cannot read " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void write_report(const std::string& path, const codec::sheet& s) {
  const auto ext = std::filesystem::path(path).extension();
  std::string bytes;
  if (ext == ".csv")
    bytes = codec::to_csv(s);
  else
    bytes = or_exit(codec::to_xlsx({s}), 1);
  std::ofstream f{path, std::ios::binary | std::ios::trunc};
  if (!(f << bytes) || !f.flush()) {
    std::cerr << "coldtrace: cannot write " << path << "\n";
    throw cli_exit{1};
  }
}

void run_import(const import_args& a) {
  if (a.lang != "zh" && a.lang != "en") usage_error("--lang must be zh or en");
  if (!a.report.empty()) {
    const auto ext = std::filesystem::path(a.report).extension();
    if (ext != ".csv" && ext != ".xlsx") usage_error("--report must end in .csv or .xlsx");
  }
  const auto l = a.lang == "en" ? server::pages::lang::en : server::pages::lang::zh;
  server::register_storage_errors();
  const auto keys = or_exit(server::load_key_directory(a.keys), 2);
  const auto own = or_exit(codec::own_hosts::of(a.hosts), 2);
  const auto file = read_file(a.file);
  auto ledger = open_ledger(a.db, true, std::const_pointer_cast<codec::signing_key>(keys.signing));
  const auto unit = ledger_or_exit(ledger->get_unit(a.unit));
  // The unit's staff, recorded in the audit chain as the command line (account 0).
  const storage::actor by{0, unit.id,
                          unit.kind == storage::unit_kind::warehouse
                              ? storage::account_role::warehouse
                              : storage::account_role::unit_operator};
  const server::api::line_codes codes{keys.published, own, unit.id};
  const auto started = std::chrono::steady_clock::now();
  auto plan = server::api::plan_import(file, codes, server::api::units_in(*ledger));
  if (!plan) {
    std::cerr << "coldtrace: " << a.file << ": "
              << server::localized_message(plan.error(), "bad_value", l) << "\n";
    throw cli_exit{2};
  }
  storage::batch_request r;
  r.lines = plan->lines;
  r.dry_run = a.dry_run;
  const auto out = ledger_or_exit(ledger->batch({by, now()}, std::move(r)));
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  server::api::add_outcomes(*plan, out);
  std::size_t replayed = 0;
  for (const auto& line : out.lines) replayed += line.replayed ? 1 : 0;
  const auto report = server::api::problem_sheet(*plan, l);
  const auto failed = [&] {
    std::set<std::size_t> rows;
    for (const auto& p : plan->problems) rows.insert(p.row);
    return rows.size();
  }();
  std::cout << to_string(plan->kind) << ": " << plan->data_rows << " rows, "
            << plan->data_rows - failed << (a.dry_run ? " would be written" : " written") << " ("
            << replayed << " already before), " << failed << " with problems; "
            << static_cast<long long>(static_cast<double>(plan->data_rows) /
                                      std::max(seconds, 1e-9))
            << " rows/s\n";
  for (const auto& row : report.rows) {
    std::cout << std::get<std::int64_t>(row[0]) << "\t" << std::get<std::string>(row[1]) << "\t"
              << std::get<std::string>(row[2]) << "\n";
  }
  if (!a.report.empty()) {
    write_report(a.report, report);
    std::cout << "report written to " << a.report << "\n";
  }
  if (failed > 0) throw cli_exit{1};
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto a = std::make_shared<import_args>();
  auto* cmd = app.add_subcommand(
      "import", "A unit's receipts, dispatches or sales from a CSV or XLSX file (the templates)");
  cmd->add_option("--db", a->db, "Database file")->required();
  cmd->add_option("--keys", a->keys, "Key directory (signing-key.pem, jwks.json)")->required();
  cmd->add_option("--unit", a->unit, "The unit whose operations these are")->required();
  cmd->add_option("file", a->file, "The CSV or XLSX file")->required();
  cmd->add_flag("--dry-run", a->dry_run, "Check every row and write nothing");
  cmd->add_option("--report", a->report, "Write the rows to fix to this .csv or .xlsx");
  cmd->add_option("--host", a->hosts,
                  "The platform's hosts, whose code URLs are genuine (default localhost:8080;"
                  " repeatable)");
  cmd->add_option("--lang", a->lang, "Messages: zh (default) or en");
  cmd->callback([a] { run_import(*a); });
}

}  // namespace coldtrace::cli
