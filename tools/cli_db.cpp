// The ledger's commands: db init | db demo, audit verify, trace, recall (db backup and
// db restore: cli_backup.cpp). They act on the database file directly, as the local
// administrator (actor::local_admin()).
#include "codec/day.hpp"
#include "codec/url.hpp"
#include "storage/checkpoints.hpp"
#include "storage/demo.hpp"
#include "storage/postgres_ledger.hpp"
#include "storage/published_keys.hpp"
#include "tools/cli.hpp"
#include "tools/cli_ledger.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

namespace coldtrace::cli {
namespace {

using storage::actor;

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
  // Opened first, so that a token file that cannot be written stops the demo before it runs.
  std::optional<secret_file> token_file;
  if (!o.token_out.empty()) token_file.emplace(or_exit(secret_file::replace(o.token_out), 1));
  auto d = or_exit(storage::populate_demo(*ledger, day_start(start)), 1);
  std::cout << "demo data in " << storage::printable_db(o.db) << ": " << d.units << " units, "
            << d.lots << " lots, " << d.codes << " codes, " << d.sales << " sales; lot "
            << d.recalled_lot << " recalled after a positive result\n";
  const char* labels[] = {"valid at a shop", "not released", "recalled"};
  for (std::size_t i = 0; i < d.sample_codes.size() && i < 3; ++i) {
    auto c = or_exit(ledger->get_code(actor::local_admin(), d.sample_codes[i]), 1);
    std::cout << "code " << c.id << " (" << labels[i]
              << "): " << or_exit(codec::make_code_url(o.host, c.signed_code), 2) << "\n";
  }
  if (!token_file) {
    std::cout << "admin token (shown once): " << d.admin_token << "\n";
  } else {
    or_exit(token_file->write(d.admin_token), 1);
    std::cout << "admin token written to " << o.token_out << " (mode 0600)\n";
  }
}

// ---- audit verify -----------------------------------------------------------------------

struct audit_options {
  std::string db, checkpoint, jwks, keys, out;
};

// Checks each kept checkpoint against the database; false at the first that fails.
bool checkpoints_hold(const audit_options& o) {
  if (o.jwks.empty()) {
    std::cerr << "coldtrace: --checkpoint needs --jwks FILE, the platform's published keys\n";
    throw cli_exit{2};
  }
  const auto keys = or_exit(codec::key_set::load(o.jwks), 2);
  std::ifstream in{o.checkpoint};
  if (!in) {
    std::cerr << "coldtrace: cannot read " << o.checkpoint << "\n";
    throw cli_exit{2};
  }
  const std::string text{std::istreambuf_iterator<char>{in}, {}};
  const auto kept = or_exit(storage::checkpoints_from_json(text), 2);
  for (const auto& c : kept) {
    const auto problem = or_exit(storage::check_checkpoint(o.db, c, keys), 2);
    if (!problem.empty()) {
      std::cout << "checkpoint FAILS: " << problem << "\n";
      return false;
    }
  }
  std::cout << "checkpoints hold: " << kept.size() << " (the last at event " << kept.back().seq
            << ")\n";
  return true;
}

void audit_verify(const audit_options& o) {
  auto r = or_exit(storage::verify_audit_chain(o.db), 2);
  if (r.first_bad) {
    std::cout << "audit chain BROKEN at event " << *r.first_bad << ": " << r.problem << "\n";
    throw cli_exit{1};
  }
  std::cout << "audit chain intact: " << r.events << " events\n";
  const bool state_ok = r.state_problem.empty();
  if (!state_ok) {
    std::cout << "audit state DIFFERS from the events: " << r.state_problem << "\n";
  } else {
    std::cout << "state matches the events: " << r.rows << " rows";
    if (r.unproven) std::cout << " (" << r.unproven << " columns taken as stored: older events)";
    std::cout << "\n";
  }
  // Checked even when the state differs: a truncation also leaves rows no event produces,
  // and the checkpoint says what happened.
  const bool checkpoints_ok = o.checkpoint.empty() || checkpoints_hold(o);
  if (!state_ok || !checkpoints_ok) throw cli_exit{1};
}

// Writes `text` to `out`, or to standard output when `out` is empty.
void write_out(const std::string& out, const std::string& text) {
  if (out.empty()) {
    std::cout << text << "\n";
    return;
  }
  std::ofstream f{out, std::ios::trunc};
  if (!(f << text << "\n") || !f.flush()) {
    std::cerr << "coldtrace: cannot write " << out << "\n";
    throw cli_exit{2};
  }
}

void audit_checkpoint(const audit_options& o) {
  const auto key_file = std::filesystem::path(o.keys) / "signing-key.pem";
  const auto key = or_exit(codec::signing_key::load_pem(key_file), 2);
  const auto c = ledger_or_exit(storage::sign_checkpoint(o.db, key, now()));
  write_out(o.out, storage::to_json(c));
}

void audit_checkpoints(const audit_options& o) {
  std::string text = "[";
  for (const auto& c : ledger_or_exit(storage::list_checkpoints(o.db)))
    text += (text.size() > 1 ? ",\n" : "\n") + storage::to_json(c);
  write_out(o.out, text + "\n]");
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
    auto v = or_exit(ledger->verify(code), 2);
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
  auto r = or_exit(ledger->recall({actor::local_admin(), now()}, {lot, reason}), 1);
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
  init->add_option("--db", *init_db, "Database file, or a postgresql:// URI")->required();
  init->callback([init_db] {
    const int v = or_exit(storage::is_postgres(*init_db) ? storage::migrate_postgres(*init_db)
                                                         : storage::migrate_database(*init_db),
                          2);
    std::cout << storage::printable_db(*init_db) << ": schema version " << v << "\n";
  });

  auto d = std::make_shared<demo_options>();
  auto* demo_cmd = db->add_subcommand("demo", "Fill an empty database with realistic demo data");
  demo_cmd->add_option("--db", d->db, "Database file, or a postgresql:// URI")->required();
  demo_cmd->add_option("--keys", d->keys, "Key directory holding signing-key.pem")->required();
  demo_cmd->add_option("--host", d->host, "Host for the printed code URLs")->capture_default_str();
  demo_cmd->add_option("--start", d->start,
                       "First day of the demo month, YYYY-MM-DD (default: 30 days ago)");
  demo_cmd->add_option("--token-out", d->token_out, "Write the admin token to this file (0600)");
  demo_cmd->callback([d] { demo(*d); });

  // The keys the servers sharing a database publish (docs/deploy.md): a new signing key is
  // published here, and copied in jwks.json to every server, before a server signs with it.
  auto pk = std::make_shared<std::pair<std::string, std::string>>();
  auto* publish = db->add_subcommand(
      "publish-keys",
      "Add a key directory's keys (jwks.json and the signing key) to those the database's "
      "servers publish; serve on PostgreSQL refuses a signing key that is not among them");
  publish->add_option("--db", pk->first, "Database file, or a postgresql:// URI")->required();
  publish->add_option("--keys", pk->second, "Key directory holding signing-key.pem and jwks.json")
      ->required();
  publish->callback([pk] {
    const std::filesystem::path dir{pk->second};
    auto keys = or_exit(codec::key_set::load(dir / "jwks.json"), 2);
    keys.add(or_exit(codec::signing_key::load_pem(dir / "signing-key.pem"), 2).public_part());
    const auto all = ledger_or_exit(storage::publish_keys(pk->first, keys, now()));
    std::cout << storage::printable_db(pk->first) << " publishes " << all.keys().size() << " keys:";
    for (const auto& k : all.keys()) std::cout << " " << codec::kid_text(k.kid);
    std::cout << "\n";
  });
  add_backup_commands(*db);
  add_copy_command(*db);

  auto audit = app.add_subcommand("audit", "Check the audit chain");
  audit->require_subcommand(1);
  auto a = std::make_shared<audit_options>();
  auto* verify = audit->add_subcommand(
      "verify",
      "Exit 0 when the chain is intact and the state tables are what its events produce;"
      " otherwise name the first bad event or row and exit 1");
  verify->add_option("--db", a->db, "Database file, or a postgresql:// URI")->required();
  verify->add_option("--checkpoint", a->checkpoint,
                     "Checkpoints kept earlier (one or a list): the chain must still hold them");
  verify->add_option("--jwks", a->jwks, "The platform's published keys, to check checkpoints");
  verify->callback([a] { audit_verify(*a); });
  auto* sign = audit->add_subcommand(
      "checkpoint", "Sign the chain head with the signing key, store and print the checkpoint");
  sign->add_option("--db", a->db, "Database file, or a postgresql:// URI")->required();
  sign->add_option("--keys", a->keys, "Key directory holding signing-key.pem")->required();
  sign->add_option("--out", a->out, "Write the checkpoint to this file");
  sign->callback([a] { audit_checkpoint(*a); });
  auto* list = audit->add_subcommand("checkpoints", "Export every stored checkpoint (JSON array)");
  list->add_option("--db", a->db, "Database file, or a postgresql:// URI")->required();
  list->add_option("--out", a->out, "Write them to this file");
  list->callback([a] { audit_checkpoints(*a); });

  auto t = std::make_shared<trace_options>();
  auto* tr = app.add_subcommand("trace", "The chain up to the root and every code below");
  tr->add_option("--db", t->db, "Database file, or a postgresql:// URI")->required();
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
  rc->add_option("--db", std::get<0>(*r), "Database file, or a postgresql:// URI")->required();
  rc->add_option("--lot", std::get<1>(*r), "Lot id")->required();
  rc->add_option("--reason", std::get<2>(*r), "Why, for the record")->required();
  rc->callback([r] { recall(std::get<0>(*r), std::get<1>(*r), std::get<2>(*r)); });
}

}  // namespace coldtrace::cli
