// coldtrace export epcis: a lot's or a period's lifecycle as an EPCIS 2.0 JSON-LD document
// (docs/exchange.md), read from the database as the local administrator, exactly as
// GET /api/v1/epcis answers it.
#include "codec/url.hpp"
#include "server/api/epcis.hpp"
#include "tools/cli_ledger.hpp"

#include <boost/json/serialize.hpp>

#include <fstream>
#include <iostream>
#include <tuple>

namespace coldtrace::cli {
namespace {

struct epcis_args {
  std::string db, out, host, from, to;
  std::int64_t unit = 0, lot = 0;
};

void run_epcis(const epcis_args& a) {
  if (auto ok = codec::make_code_url(a.host, bytes{}); !ok)
    usage_error("--host: " + ok.error().message);
  storage::export_query q;
  if (a.lot) {
    if (!a.from.empty() || !a.to.empty() || a.unit)
      usage_error("--lot exports the whole lot: no --from, --to or --unit");
    q.lot = a.lot;
  } else {
    std::tie(q.from, q.to) = export_period(a.from, a.to);
    if (a.unit) q.unit = a.unit;
  }
  auto ledger = open_ledger(a.db, true);
  const auto h = ledger_or_exit(ledger->supply_steps(storage::actor::local_admin(), q));
  const auto doc = server::api::epcis_document(h, a.host, now());
  std::ofstream f{a.out, std::ios::binary | std::ios::trunc};
  if (!(f << boost::json::serialize(doc) << "\n") || !f.flush()) {
    std::cerr << "coldtrace: cannot write " << a.out << "\n";
    throw cli_exit{1};
  }
  std::cout << doc.at("epcisBody").at("eventList").as_array().size() << " events from "
            << h.steps.size() << " steps of " << h.lots.size() << " lots written to " << a.out
            << "\n";
}

}  // namespace

void add_epcis_command(CLI::App& export_cmd) {
  auto a = std::make_shared<epcis_args>();
  auto* cmd = export_cmd.add_subcommand(
      "epcis", "A lot's or a period's events as a GS1 EPCIS 2.0 JSON-LD document");
  cmd->add_option("--db", a->db, "Database file")->required();
  cmd->add_option("--out", a->out, "The file to write (.jsonld)")->required();
  cmd->add_option("--host", a->host,
                  "The public host of the code URLs, as serve's --public-url names it")
      ->required();
  cmd->add_option("--lot", a->lot, "Everything about this lot");
  cmd->add_option("--unit", a->unit, "Only this unit's records (default: every unit)");
  cmd->add_option("--from", a->from, "First day, YYYY-MM-DD (default: 29 days before --to)");
  cmd->add_option("--to", a->to, "Last day, YYYY-MM-DD (default: today)");
  cmd->callback([a] { run_epcis(*a); });
}

}  // namespace coldtrace::cli
