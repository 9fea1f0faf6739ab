// The ledger's CLI commands, run in-process (tools/cli_db.cpp is compiled into this test).
#include "tests/storage/fixture.hpp"
#include "tools/cli.hpp"

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
TEST_CASE("db init, db demo, trace, recall and audit verify", "[storage]") {
  temp_dir dir;
  const auto db = (dir.path / "cli.db").string();
  const auto keys = dir.path / "keys";
  std::filesystem::create_directories(keys);
  codec::signing_key::generate().value().save_pem(keys / "signing-key.pem").value();

  CHECK(run({"db", "init", "--db", db}) == 0);
  CHECK(run({"db", "demo", "--db", db, "--keys", keys.string(), "--start", "2024-06-01",
             "--token-out", (dir.path / "admin.token").string()}) == 0);
  CHECK(std::filesystem::exists(dir.path / "admin.token"));
  CHECK(run({"db", "demo", "--db", db, "--keys", keys.string()}) == 1);  // not empty
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
