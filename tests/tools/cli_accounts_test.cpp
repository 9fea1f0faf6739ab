// coldtrace unit add | account create as a user runs them on a new installation: the first
// admin, whose token (printed once, or written to a new 0600 file) the ledger accepts, and bad
// input refused with a message saying why, before anything changes.
#include "storage/sessions.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tests/support.hpp"
#include "tests/tools/run_cli.hpp"

#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace coldtrace;
using coldtrace::test::cli_run;
using coldtrace::test::run_cli;
using storage::account_role;
using storage::actor;
namespace fs = std::filesystem;

namespace {

// Valid unified social credit codes (GB 32100-2015 check characters).
constexpr const char* bureau_code = "11310000MB2C12345F";
constexpr const char* shop_code = "92310104MA7CT0003P";

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The bearer token in `text`: "ct_" and 43 base64url characters, or "" when there is none.
std::string token_in(const std::string& text) {
  std::smatch m;
  static const std::regex token("ct_[A-Za-z0-9_-]{43}");
  return std::regex_search(text, m, token) ? m.str() : "";
}

// A database as `coldtrace db init` leaves it, with no units yet.
struct installation {
  test::temp_dir dir;
  std::string db = (dir.path / "coldtrace.db").string();

  installation() { REQUIRE(run_cli({"db", "init", "--db", db}).status == 0); }

  cli_run add_unit(const std::string& credit_code, const std::string& kind) const {
    return run_cli({"unit", "add", "--db", db, "--credit-code", credit_code, "--name",
                    "上海市市场监督管理局", "--kind", kind, "--region", "上海市"});
  }
  cli_run create_account(const std::string& unit, const std::string& role,
                         std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"account", "create", "--db", db,       "--unit",
                                  unit,      "--role", role,   "--name", "王芳"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  std::unique_ptr<storage::sqlite_ledger> ledger() const {
    return storage::sqlite_ledger::open({db, nullptr}).value();
  }
  std::size_t units() const { return ledger()->list_units({}).value().size(); }
  std::size_t accounts(storage::unit_id unit) const {
    return ledger()->list_accounts(actor::local_admin(), unit).value().size();
  }
};

}  // namespace

TEST_CASE("the first admin: a regulator unit, then an admin account whose token works", "[tools]") {
  installation i;
  const auto unit = i.add_unit(bureau_code, "regulator");
  REQUIRE(unit.status == 0);
  CHECK(unit.out == "1\n");  // the id alone, for a script to keep

  SECTION("the token printed once on stdout, never on stderr") {
    const auto r = i.create_account("1", "admin");
    REQUIRE(r.status == 0);
    const auto token = token_in(r.out);
    REQUIRE(!token.empty());
    CHECK(r.err.empty());
    auto who = i.ledger()->authenticate(token);
    REQUIRE(who);
    CHECK(who->account > 0);
    CHECK(who->unit == 1);
    CHECK(who->role == account_role::admin);
  }
  SECTION("with --token-out, the token only in a new file of mode 0600") {
    const auto file = i.dir.path / "admin-token";
    const auto r = i.create_account("1", "admin", {"--token-out", file.string()});
    REQUIRE(r.status == 0);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const auto text = read(file);
    const auto token = token_in(text);
    REQUIRE(!token.empty());
    CHECK(text == token + "\n");
    CHECK(token_in(r.out).empty());
    CHECK(r.err.empty());
    auto who = i.ledger()->authenticate(token);
    REQUIRE(who);
    CHECK(who->role == account_role::admin);
  }
  SECTION("the database keeps only the token's hash") {
    const auto token = token_in(i.create_account("1", "inspector").out);
    REQUIRE(!token.empty());
    CHECK(i.ledger()->authenticate(token));
    for (const auto* suffix : {"", "-wal"}) {
      const fs::path file = i.db + suffix;
      if (fs::exists(file)) CHECK(read(file).find(token) == std::string::npos);
    }
  }
}

TEST_CASE("account create never overwrites a token file, and creates nothing then", "[tools]") {
  installation i;
  REQUIRE(i.add_unit(bureau_code, "regulator").status == 0);
  const auto file = i.dir.path / "admin-token";
  std::ofstream(file) << "keep me\n";
  const auto r = i.create_account("1", "admin", {"--token-out", file.string()});
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains("already exists"));
  CHECK(read(file) == "keep me\n");
  CHECK(i.accounts(1) == 0);
}

TEST_CASE("unit add refuses a bad credit code, saying why, and registers nothing", "[tools]") {
  installation i;
  auto [code, why] = GENERATE(table<std::string, std::string>({
      {"11310000MB2C12345G", "check character should be F, not G"},
      {"11310000MB2C12345", "18 characters"},
      {"11310000MB2C1234IF", "never used"},
      {"１1310000MB2C12345F", "half-width"},
      {"", "18 characters"},
  }));
  CAPTURE(code);
  const auto r = i.add_unit(code, "regulator");
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains(why));
  CHECK(r.out.empty());
  CHECK(i.units() == 0);
}

TEST_CASE("unit add: the kinds, lower case, a code registered twice, no database", "[tools]") {
  installation i;
  SECTION("a kind outside the list is named with the list") {
    const auto r = i.add_unit(bureau_code, "shop");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("warehouse,producer,caterer,seller,regulator"));
    CHECK(i.units() == 0);
  }
  SECTION("a code typed in lower case is registered in capitals") {
    REQUIRE(i.add_unit("11310000mb2c12345f", "regulator").status == 0);
    CHECK(i.ledger()->get_unit(1).value().credit_code == bureau_code);
  }
  SECTION("a code already registered is refused with the unit that has it") {
    REQUIRE(i.add_unit(shop_code, "seller").status == 0);
    const auto again = i.add_unit(shop_code, "seller");
    CHECK(again.status == 1);
    CHECK_THAT(again.err, Catch::Contains("already registered (unit 1)"));
    CHECK(i.units() == 1);
  }
  SECTION("a missing database is not created") {
    const auto none = (i.dir.path / "none.db").string();
    const auto r = run_cli({"unit", "add", "--db", none, "--credit-code", bureau_code, "--name",
                            "局", "--kind", "regulator", "--region", "上海市"});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("coldtrace db init"));
    CHECK(!fs::exists(none));
  }
}

TEST_CASE("account create refuses an unknown unit or a role the unit may not have", "[tools]") {
  installation i;
  REQUIRE(i.add_unit(bureau_code, "regulator").status == 0);
  REQUIRE(i.add_unit(shop_code, "seller").status == 0);
  const auto file = i.dir.path / "token";
  SECTION("an unknown unit, and the token file is not left behind") {
    const auto r = i.create_account("99", "operator", {"--token-out", file.string()});
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("unit 99 was not found"));
    CHECK(!fs::exists(file));
  }
  SECTION("a role that does not exist is named with the roles") {
    const auto r = i.create_account("1", "root");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("admin,warehouse,operator,inspector"));
  }
  SECTION("a role the unit's kind does not allow") {
    const auto r = i.create_account("2", "admin", {"--token-out", file.string()});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("a unit of kind seller cannot have the role admin"));
    CHECK(!fs::exists(file));
  }
  CHECK(i.accounts(1) == 0);
  CHECK(i.accounts(2) == 0);
}

TEST_CASE("account create --password-stdin: the person signs in with the name and password",
          "[tools]") {
  installation i;
  REQUIRE(i.add_unit(bureau_code, "regulator").status == 0);
  auto with_password = [&](const std::string& password) {
    return run_cli({"account", "create", "--db", i.db, "--unit", "1", "--role", "admin", "--name",
                    "王芳", "--password-stdin"},
                   &password);
  };
  SECTION("a good password: hashed, and sign-in works") {
    const auto r = with_password("bureau admin 2024\n");
    REQUIRE(r.status == 0);
    CHECK(r.out.find("password set for account 1") != std::string::npos);
    CHECK(r.out.find("bureau admin") == std::string::npos);
    auto l = i.ledger();
    auto* store = storage::sessions_of(*l).value();
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto s = store->sign_in({actor{}, now}, {"王芳", "bureau admin 2024"});
    REQUIRE(s);
    CHECK(l->authenticate(s->token).value().role == account_role::admin);
    CHECK_FALSE(store->sign_in({actor{}, now}, {"王芳", "bureau admin 2025"}));
    l->close();

    const std::string next = "a new password";
    const auto p =
        run_cli({"account", "password", "--db", i.db, "--account", "1", "--password-stdin"}, &next);
    CHECK(p.status == 0);
    auto l2 = i.ledger();
    CHECK(storage::sessions_of(*l2).value()->sign_in({actor{}, now}, {"王芳", "a new password"}));
    CHECK_FALSE(l2->authenticate(s->token));
  }
  SECTION("a password too short: exit 2, no account made") {
    const auto r = with_password("short\n");
    CHECK(r.status == 2);
    CHECK(r.err.find("at least 8 characters") != std::string::npos);
    CHECK(i.accounts(1) == 0);
  }
}
