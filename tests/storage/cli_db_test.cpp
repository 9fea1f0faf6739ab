// The ledger's CLI commands, run in-process (tools/cli_db.cpp is compiled into this test).
#include "storage/sqlite/schema.hpp"
#include "tests/storage/fixture.hpp"
#include "tests/storage/pg_support.hpp"
#include "tools/cli.hpp"

#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <sstream>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

// The command's exit status: 0 unless it threw cli_exit.
int run(std::vector<std::string> args) {
  CLI::App app;
  cli::add_db_commands(app);
  std::vector<const char*> argv{"coldtrace"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cli::cli_exit& e) {
    return e.status;
  } catch (const CLI::ParseError& e) {
    return 2;
  }
  return 0;
}

}  // namespace

// stats prints the API's JSON, so it is tested with the server linked in: tests/tools.
TEST_CASE("db init, db demo, trace, recall and audit verify", "[storage][sqlite]") {
  temp_dir dir;
  const auto db = (dir.path / "cli.db").string();
  const auto keys = dir.path / "keys";
  std::filesystem::create_directories(keys);
  codec::signing_key::generate().value().save_pem(keys / "signing-key.pem").value();

  // A token file left readable by an earlier run is replaced, and is 0600 afterwards.
  const auto token_file = dir.path / "admin.token";
  std::ofstream(token_file) << "old\n";
  ::chmod(token_file.c_str(), 0644);

  CHECK(run({"db", "init", "--db", db}) == 0);
  CHECK(run({"db", "demo", "--db", db, "--keys", keys.string(), "--start", "2024-06-01",
             "--token-out", token_file.string()}) == 0);
  struct stat st {};
  REQUIRE(::stat(token_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::string token;
  std::ifstream(token_file) >> token;
  CHECK(token.rfind("ct_", 0) == 0);
  // Refused (the database is not empty): the admin token of the first run stays.
  CHECK(run({"db", "demo", "--db", db, "--keys", keys.string(), "--token-out",
             token_file.string()}) == 1);
  std::string kept;
  std::ifstream(token_file) >> kept;
  CHECK(kept == token);
  for (const auto& f : std::filesystem::directory_iterator(dir.path))
    CHECK(f.path().filename().string().rfind("admin.token.", 0) != 0);  // no half-written file
  CHECK(run({"trace", "--db", db, "--lot", "1"}) == 0);
  CHECK(run({"trace", "--db", db, "--lot", "999"}) == 1);
  CHECK(run({"trace", "--db", db}) == 2);
  CHECK(run({"recall", "--db", db, "--lot", "2", "--reason", "测试"}) == 0);
  CHECK(run({"recall", "--db", db, "--lot", "2", "--reason", "again"}) == 1);
  CHECK(run({"audit", "verify", "--db", db}) == 0);

  exec_on(db, "UPDATE events SET subject = 'lot/999' WHERE seq = 20");
  CHECK(run({"audit", "verify", "--db", db}) == 1);
  CHECK(run({"audit", "verify", "--db", (dir.path / "none.db").string()}) == 2);
}

TEST_CASE("db demo with a token file it cannot write stops before it changes anything",
          "[storage][sqlite]") {
  temp_dir dir;
  const auto db = (dir.path / "cli.db").string();
  const auto keys = dir.path / "keys";
  std::filesystem::create_directories(keys);
  codec::signing_key::generate().value().save_pem(keys / "signing-key.pem").value();
  CHECK(run({"db", "demo", "--db", db, "--keys", keys.string(), "--token-out",
             (dir.path / "none" / "admin.token").string()}) == 1);
  CHECK(run({"db", "demo", "--db", db, "--keys", keys.string()}) == 0);  // still empty
}

TEST_CASE("audit verify names a state row changed with SQL behind the chain", "[storage][sqlite]") {
  temp_dir dir;
  const auto db = (dir.path / "cli.db").string();
  const auto keys = dir.path / "keys";
  std::filesystem::create_directories(keys);
  codec::signing_key::generate().value().save_pem(keys / "signing-key.pem").value();
  REQUIRE(run({"db", "demo", "--db", db, "--keys", keys.string(), "--start", "2024-06-01"}) == 0);
  auto verify = [&](int& status) {
    std::ostringstream out;
    auto* old = std::cout.rdbuf(out.rdbuf());
    status = run({"audit", "verify", "--db", db});
    std::cout.rdbuf(old);
    return out.str();
  };
  int status = -1;
  CHECK_THAT(verify(status), Catch::Contains("state matches the events"));
  CHECK(status == 0);
  // A quarantined lot set to released: the chain stays intact, its codes would verify valid.
  const auto lot = scalar_on(db, "SELECT min(id) FROM lots WHERE status = 'quarantined'");
  exec_on(db, "UPDATE lots SET status = 'released' WHERE id = " + std::to_string(lot));
  const auto text = verify(status);
  CHECK(status == 1);
  CHECK_THAT(text, Catch::Contains("audit chain intact") &&
                       Catch::Contains("lots row " + std::to_string(lot) +
                                       ": status is released, the events give quarantined"));
}

TEST_CASE("audit checkpoint, audit checkpoints and audit verify --checkpoint",
          "[storage][sqlite]") {
  temp_dir dir;
  const auto db = (dir.path / "cli.db").string();
  const auto keys = dir.path / "keys";
  std::filesystem::create_directories(keys);
  auto key = codec::signing_key::generate().value();
  key.save_pem(keys / "signing-key.pem").value();
  codec::key_set published;
  published.add(key.public_part());
  const auto jwks = (dir.path / "jwks.json").string();
  published.save(jwks).value();
  REQUIRE(run({"db", "demo", "--db", db, "--keys", keys.string(), "--start", "2024-06-01"}) == 0);
  const auto cp = (dir.path / "cp.json").string();
  CHECK(run({"audit", "checkpoint", "--db", db, "--keys", keys.string(), "--out", cp}) == 0);
  const auto all = (dir.path / "all.json").string();
  CHECK(run({"audit", "checkpoints", "--db", db, "--out", all}) == 0);
  CHECK(run({"audit", "verify", "--db", db, "--checkpoint", cp, "--jwks", jwks}) == 0);
  CHECK(run({"audit", "verify", "--db", db, "--checkpoint", all, "--jwks", jwks}) == 0);
  CHECK(run({"audit", "verify", "--db", db, "--checkpoint", cp}) == 2);  // no keys given

  // Under keys that are not the platform's: refused.
  codec::key_set others;
  others.add(codec::signing_key::generate().value().public_part());
  const auto other_jwks = (dir.path / "other.json").string();
  others.save(other_jwks).value();
  CHECK(run({"audit", "verify", "--db", db, "--checkpoint", cp, "--jwks", other_jwks}) == 1);

  // The newest events and the rows they made deleted, the head moved back.
  const auto head = scalar_on(db, "SELECT seq FROM chain_head");
  exec_on(db, "DELETE FROM events WHERE seq = " + std::to_string(head));
  exec_on(db, "UPDATE chain_head SET seq = seq - 1, hash = (SELECT hash FROM events WHERE seq = " +
                  std::to_string(head - 1) + ")");
  std::ostringstream out;
  auto* old = std::cout.rdbuf(out.rdbuf());
  const int status = run({"audit", "verify", "--db", db, "--checkpoint", cp, "--jwks", jwks});
  std::cout.rdbuf(old);
  CHECK(status == 1);
  CHECK_THAT(out.str(), Catch::Contains("the chain ends at " + std::to_string(head - 1) +
                                        " but checkpoint says " + std::to_string(head)));
}

TEST_CASE("db init, db demo, trace and recall on a postgresql:// URI", "[storage][postgres]") {
  REQUIRE_PG_OR_RETURN();
  pg_database pg;
  auto capture = [](std::vector<std::string> args, int& status) {
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    status = run(std::move(args));
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    return out.str() + err.str();
  };
  const auto password =
      pg.uri.substr(0, pg.uri.find('@')).substr(pg.uri.rfind(':', pg.uri.find('@')) + 1);
  int status = -1;
  auto text = capture({"db", "init", "--db", pg.uri}, status);
  CHECK(status == 0);
  CHECK_THAT(text, Catch::Contains(":***@127.0.0.1") &&
                       Catch::Contains("schema version " + std::to_string(sql::latest_version())));
  CHECK(text.find(password) == std::string::npos);
  text = capture({"db", "init", "--db", pg.uri}, status);  // nothing left to do
  CHECK(status == 0);
  CHECK_THAT(text, Catch::Contains("schema version " + std::to_string(sql::latest_version())));

  // The ledger's commands on PostgreSQL: demo data, a trace, a recall.
  temp_dir dir;
  const auto keys = dir.path / "keys";
  std::filesystem::create_directories(keys);
  codec::signing_key::generate().value().save_pem(keys / "signing-key.pem").value();
  text = capture({"db", "demo", "--db", pg.uri, "--keys", keys.string(), "--start", "2024-06-01"},
                 status);
  CHECK(status == 0);
  CHECK_THAT(text, Catch::Contains("demo data in postgresql://coldtrace:***@"));
  CHECK(text.find(password) == std::string::npos);
  text = capture({"trace", "--db", pg.uri, "--lot", "1"}, status);
  CHECK(status == 0);
  CHECK_THAT(text, Catch::Contains("lot 1: "));
  text = capture({"recall", "--db", pg.uri, "--lot", "2", "--reason", "阳性"}, status);
  CHECK(status == 0);
  CHECK_THAT(text, Catch::Contains("lot 2 recalled"));

  // The audit on PostgreSQL: the chain and the state replayed from it; checkpoints too.
  text = capture({"audit", "verify", "--db", pg.uri}, status);
  INFO(text);
  CHECK(status == 0);
  CHECK_THAT(text,
             Catch::Contains("audit chain intact") && Catch::Contains("state matches the events"));
  text = capture({"audit", "checkpoint", "--db", pg.uri, "--keys", keys.string(), "--out",
                  (dir.path / "cp.json").string()},
                 status);
  CHECK(status == 0);
  codec::key_set published;
  published.add(codec::signing_key::load_pem(keys / "signing-key.pem").value().public_part());
  published.save(dir.path / "jwks.json").value();
  text = capture({"audit", "verify", "--db", pg.uri, "--checkpoint",
                  (dir.path / "cp.json").string(), "--jwks", (dir.path / "jwks.json").string()},
                 status);
  CHECK(status == 0);
  CHECK_THAT(text, Catch::Contains("checkpoints hold: 1"));
  // A state row changed behind the ledger's back is named on PostgreSQL too.
  exec_on(pg.uri, "UPDATE lots SET packages = packages + 1 WHERE id = 2");
  text = capture({"audit", "verify", "--db", pg.uri}, status);
  CHECK(status == 1);
  CHECK_THAT(text, Catch::Contains("lots row 2: packages is "));

  // Backups of PostgreSQL are PostgreSQL's tools' job: refused, saying which, URI masked.
  text = capture({"db", "backup", "--db", pg.uri, "--to", (dir.path / "copy.db").string()}, status);
  CHECK(status == 2);
  CHECK_THAT(text, Catch::Contains("pg_dump") && Catch::Contains("pg_basebackup"));
  CHECK(text.find(password) == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path / "copy.db"));
}
