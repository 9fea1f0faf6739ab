// coldtrace unit add | account create: the bureau's first units and accounts, from a shell on
// the server, as the local administrator — how a new installation gets its first admin, who
// then registers everyone else through the API.
#include "codec/identifiers.hpp"
#include "storage/password.hpp"
#include "storage/sessions.hpp"
#include "tools/cli.hpp"
#include "tools/cli_ledger.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>

namespace coldtrace::cli {
namespace {

using storage::account_role;
using storage::actor;
using storage::unit_kind;

constexpr unit_kind all_kinds[] = {unit_kind::warehouse, unit_kind::producer, unit_kind::caterer,
                                   unit_kind::seller, unit_kind::regulator};
constexpr account_role all_roles[] = {account_role::admin, account_role::warehouse,
                                      account_role::unit_operator, account_role::inspector};

// The API names of `values`, for CLI11 to check the option against and list in --help.
template <class Enum, std::size_t N>
CLI::IsMember names_of(const Enum (&values)[N]) {
  std::vector<std::string> names;
  for (auto v : values) names.emplace_back(to_string(v));
  return CLI::IsMember(names);
}

struct unit_options {
  std::string db, credit_code, name, kind, region;
};

void unit_add(const unit_options& o) {
  // Checked before the database is opened, so a typing error changes nothing. Lower case is
  // accepted, as the ledger (and the API) accept it.
  std::string credit = o.credit_code;
  std::transform(credit.begin(), credit.end(), credit.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  or_exit(codec::check_credit_code(credit), 2);
  auto ledger = open_ledger(o.db, true);
  const auto u = ledger_or_exit(
      ledger->register_unit({actor::local_admin(), now()},
                            {credit, o.name, storage::unit_kind_from(o.kind).value(), o.region}));
  std::cout << u.id << "\n";
}

struct account_options {
  std::string db, role, name, token_out;
  storage::unit_id unit = 0;
  storage::account_id account = 0;
  bool password_stdin = false;
};

// The password on standard input's first line (so that it is in no shell history or process
// list), checked before anything is written.
std::string read_password() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    std::cerr << "coldtrace: --password-stdin: nothing on standard input\n";
    throw cli_exit{2};
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (auto e = storage::check_password(line)) {
    std::cerr << "coldtrace: " << e->message << "\n";
    throw cli_exit{2};
  }
  return line;
}

void set_password(storage::sqlite_ledger& ledger, storage::account_id id, std::string password) {
  auto* store = ledger_or_exit(storage::sessions_of(ledger));
  ledger_or_exit(store->set_password({actor::local_admin(), now()}, {id, std::move(password)}));
  std::cout << "password set for account " << id << "\n";
}

void account_password(const account_options& o) {
  auto password = read_password();
  auto ledger = open_ledger(o.db, true);
  set_password(*ledger, o.account, std::move(password));
}

void account_create(const account_options& o) {
  std::optional<std::string> password;
  if (o.password_stdin) password = read_password();
  auto ledger = open_ledger(o.db, true);
  // The token file is claimed before the account exists: an existing file is refused while
  // nothing has changed, and a failed creation removes the file again.
  std::optional<secret_file> file;
  if (!o.token_out.empty()) file.emplace(or_exit(secret_file::create_new(o.token_out), 1));
  const auto t = ledger_or_exit(ledger->create_account(
      {actor::local_admin(), now()}, {o.unit, storage::account_role_from(o.role).value(), o.name}));
  const auto& a = t.account;
  std::cout << "account " << a.id << ": " << a.name << ", " << to_string(a.role) << " at unit "
            << a.unit << "\n";
  if (password) set_password(*ledger, a.id, std::move(*password));
  if (!file) {
    std::cout << "token (shown once): " << t.token << "\n";
    return;
  }
  if (auto written = file->write(t.token); !written) {
    std::cerr << "coldtrace: account " << a.id
              << " was created, but its token was not saved: " << written.error().message
              << "; issue it a new one with POST /api/v1/accounts/" << a.id << "/rotate\n";
    throw cli_exit{1};
  }
  std::cout << "token written to " << o.token_out << " (mode 0600)\n";
}

}  // namespace

void add_account_commands(CLI::App& app) {
  auto* unit = app.add_subcommand("unit", "Register units (the bureau's first one, say)");
  unit->require_subcommand(1);
  auto u = std::make_shared<unit_options>();
  auto* add = unit->add_subcommand(
      "add", "Register a unit and print its id; exit 2 on bad input, 1 if already registered");
  add->add_option("--db", u->db, "Database file, or a postgresql:// URI")->required();
  add->add_option("--credit-code", u->credit_code,
                  "Unified social credit code: 18 characters with its check character")
      ->required();
  add->add_option("--name", u->name, "The unit's registered name")->required();
  add->add_option("--kind", u->kind, "What the unit is; regulator for the bureau itself")
      ->required()
      ->check(names_of(all_kinds));
  add->add_option("--region", u->region, "Where it is, e.g. 上海市浦东新区")->required();
  add->callback([u] { unit_add(*u); });

  auto* account = app.add_subcommand("account", "Create accounts and issue their tokens");
  account->require_subcommand(1);
  auto a = std::make_shared<account_options>();
  auto* create = account->add_subcommand(
      "create",
      "Create an account and issue its bearer token (shown once); exit 2 on bad input or a "
      "role the unit's kind does not allow, 1 for an unknown unit");
  create->add_option("--db", a->db, "Database file, or a postgresql:// URI")->required();
  create->add_option("--unit", a->unit, "The unit's id (as unit add printed it)")->required();
  create
      ->add_option("--role", a->role,
                   "admin or inspector at a regulator, warehouse at a warehouse, operator "
                   "elsewhere")
      ->required()
      ->check(names_of(all_roles));
  create->add_option("--name", a->name, "The person's name")->required();
  create->add_option("--token-out", a->token_out,
                     "Write the token to this new file (mode 0600) instead of printing it; an "
                     "existing file is never overwritten");
  create->add_flag("--password-stdin", a->password_stdin,
                   "Also give the account a password for signing in (8 to 128 bytes), read "
                   "from the first line of standard input");
  create->callback([a] { account_create(*a); });

  auto p = std::make_shared<account_options>();
  auto* password = account->add_subcommand(
      "password",
      "Set an account's sign-in password from the first line of standard input (ends its "
      "open sessions); exit 2 on a password that is too short or long, 1 for an unknown account");
  password->add_option("--db", p->db, "Database file")->required();
  password->add_option("--account", p->account, "The account's id")->required();
  password->add_flag("--password-stdin", p->password_stdin, "Read the password from standard input")
      ->required();
  password->callback([p] { account_password(*p); });
}

}  // namespace coldtrace::cli
