// coldtrace db copy: a month of demo data (with sessions, passwords, idempotency keys,
// checkpoints and published keys besides) from its SQLite file into a throwaway PostgreSQL
// database and back into a new file: every table equal, audit verify intact with the same
// chain head on each side; a destination that holds anything is refused and left as it was.
#include "storage/copy.hpp"
#include "storage/postgres/pg.hpp"
#include "storage/postgres_ledger.hpp"
#include "tests/tools/cluster.hpp"

#include <sqlite3.h>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <fstream>

using namespace coldtrace;
using namespace coldtrace::test;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in{p};
  std::string s;
  std::getline(in, s);
  return s;
}

// The chain head ("seq hash") of a SQLite file or a PostgreSQL database.
std::string head_of(const std::string& db) {
  if (storage::is_postgres(db)) {
    auto c = storage::pg::connection::open(db);
    auto r = c.exec("SELECT seq || ' ' || encode(hash, 'hex') FROM chain_head WHERE id = 1");
    return r.rows() ? std::string{r.text(0, 0)} : "";
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> h{raw, &sqlite3_close};
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT seq || ' ' || lower(hex(hash)) FROM chain_head", -1, &s,
                             nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  return out;
}

// audit verify's verdict and its counts ("audit chain intact: N events ... M rows").
std::string verified(const std::string& db) {
  const auto r = run_cli({"audit", "verify", "--db", db});
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  return r.out;
}

std::vector<storage::table_summary> tables_of(const std::string& db) {
  auto t = storage::summarize_tables(db);
  INFO((t ? "" : t.error().message));
  REQUIRE(t);
  return *t;
}

// A month of demo data, and a row in every table the demo leaves empty: a published key, a
// checkpoint, a person's password and session, an idempotent intake, a second recall, and an
// inspection at a vendor with an uncoded item and its photo.
std::string make_city(const temp_dir& dir) {
  const auto db = (dir.path / "city.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  REQUIRE(run_cli({"db", "demo", "--db", db, "--keys", keys, "--start", "2024-06-01"}).status == 0);
  REQUIRE(run_cli({"db", "publish-keys", "--db", db, "--keys", keys}).status == 0);
  REQUIRE(run_cli({"audit", "checkpoint", "--db", db, "--keys", keys}).status == 0);
  REQUIRE(run_cli({"recall", "--db", db, "--lot", "2", "--reason", "复检阳性"}).status == 0);
  const std::string password = "warehouse pass 2024\n";
  const auto token_file = (dir.path / "warehouse-token").string();
  REQUIRE(run_cli({"account", "create", "--db", db, "--unit", "2", "--role", "warehouse", "--name",
                   "仓管员", "--password-stdin", "--token-out", token_file},
                  &password)
              .status == 0);
  const auto inspector_file = (dir.path / "inspector-token").string();
  REQUIRE(run_cli({"account", "create", "--db", db, "--unit", "1", "--role", "inspector", "--name",
                   "执法员", "--token-out", inspector_file})
              .status == 0);
  server_process s(
      {"serve", "--db", db, "--keys", keys, "--public-url", "https://trace.example.gov.cn"},
      (dir.path / "serve.log").string());
  const auto signed_in = s.call("POST", "/api/v1/sessions",
                                R"({"name": "仓管员", "password": "warehouse pass 2024"})");
  REQUIRE(signed_in.status == 201);
  server::test::client c{s.port()};
  const auto intake = c.request(
      "POST", "/api/v1/lots",
      R"({"product": "冻带鱼", "category": "domestic_frozen", "origin": "CN",)"
      R"( "net_weight_g": 100000, "packages": 10, "consignor": "舟山水产", "vehicle": "浙L·12345"})",
      {{"Content-Type", "application/json"},
       {"Authorization", "Bearer " + read_file(token_file)},
       {"Idempotency-Key", "lot-2024-06-30-a"}});
  REQUIRE(intake.status == 201);
  const auto as_inspector = "Bearer " + read_file(inspector_file);
  const auto inspection = c.request(
      "POST", "/api/v1/inspections",
      R"({"vendor": {"name": "路边冻品摊", "address": "南京路 100 号门口"}, "note": "无证摊贩",)"
      R"( "findings": [{"product": "冻带鱼", "category": "domestic_frozen", "weight_g": 12000,)"
      R"( "action": "seize"}]})",
      {{"Content-Type", "application/json"}, {"Authorization", as_inspector}});
  REQUIRE(inspection.status == 201);
  const auto finding =
      boost::json::parse(inspection.body).at("findings").at(0).at("id").to_number<std::int64_t>();
  std::string png = "\x89PNG\r\n\x1a\n";
  png.resize(80, '\x01');
  const auto photo =
      c.request("POST", "/api/v1/findings/" + std::to_string(finding) + "/photo", png,
                {{"Content-Type", "image/png"}, {"Authorization", as_inspector}});
  REQUIRE(photo.status == 201);
  s.stop();
  return db;
}

}  // namespace

TEST_CASE("db copy knows every table of both schemas", "[tools][postgres]") {
  REQUIRE_CLUSTER_OR_RETURN();
  std::vector<std::string> copied(storage::copied_tables().begin(), storage::copied_tables().end());
  std::sort(copied.begin(), copied.end());
  temp_dir dir;
  const auto file = (dir.path / "new.db").string();
  REQUIRE(run_cli({"db", "init", "--db", file}).status == 0);
  storage::test::pg_database pg;
  REQUIRE(run_cli({"db", "init", "--db", pg.uri}).status == 0);
  for (const auto& db : {file, pg.uri}) {
    INFO("a table of the schema is missing from storage/sqlite/copy.cpp's list (" << db << ")");
    CHECK(storage::schema_tables(db).value() == copied);
  }
}

TEST_CASE("db copy moves a city's ledger into PostgreSQL and back, the chain head unchanged",
          "[tools][postgres]") {
  REQUIRE_CLUSTER_OR_RETURN();
  temp_dir dir;
  const auto file = make_city(dir);
  const auto tables = tables_of(file);
  for (const auto& t : tables) {
    INFO(t.name << " is empty in the source: the copy of its rows is not tested");
    CHECK(t.rows > 0);
  }
  const auto head = head_of(file);
  const auto audit = verified(file);
  REQUIRE(audit.find("audit chain intact") != std::string::npos);

  storage::test::pg_database pg;
  const auto to_pg = run_cli({"db", "copy", "--from", file, "--to", pg.uri});
  INFO(to_pg.out << to_pg.err);
  REQUIRE(to_pg.status == 0);
  CHECK(to_pg.out.find(head.substr(head.find(' ') + 1)) != std::string::npos);
  CHECK(to_pg.out.find(storage::printable_db(pg.uri)) != std::string::npos);
  CHECK(to_pg.out.find(pg.uri) == std::string::npos);  // the password is never printed
  CHECK(verified(pg.uri) == audit);
  CHECK(head_of(pg.uri) == head);
  CHECK(tables_of(pg.uri) == tables);

  const auto back = (dir.path / "back.db").string();
  const auto to_file = run_cli({"db", "copy", "--from", pg.uri, "--to", back});
  INFO(to_file.out << to_file.err);
  REQUIRE(to_file.status == 0);
  CHECK(verified(back) == audit);
  CHECK(head_of(back) == head);
  CHECK(tables_of(back) == tables);

  SECTION("a destination holding anything is refused and left as it was") {
    for (const auto& [from, to] : {std::pair{file, pg.uri}, std::pair{pg.uri, back}}) {
      const auto before = tables_of(to);
      const auto again = run_cli({"db", "copy", "--from", from, "--to", to});
      CHECK(again.status == 2);
      CHECK(again.err.find("is not empty (table ") != std::string::npos);
      CHECK(again.err.find("nothing was copied") != std::string::npos);
      CHECK(tables_of(to) == before);
    }
    const auto same = run_cli({"db", "copy", "--from", file, "--to", file});
    CHECK(same.status == 2);
    CHECK(same.err.find("name the same") != std::string::npos);
    const auto missing =
        run_cli({"db", "copy", "--from", (dir.path / "none.db").string(), "--to", back});
    CHECK(missing.status != 0);
    CHECK(missing.err.find("no database at") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path / "none.db"));
  }
  SECTION("the copy in PostgreSQL takes new writes after the copied rows") {
    const auto unit = run_cli({"unit", "add", "--db", pg.uri, "--credit-code", "92310104MA7CT0003P",
                               "--name", "新开超市", "--kind", "seller", "--region", "上海市"});
    INFO(unit.out << unit.err);
    CHECK(unit.status == 0);
    CHECK(unit.out == std::to_string(tables[0].rows + 1) + "\n");  // the next unit id
    CHECK(verified(pg.uri).find("audit chain intact") != std::string::npos);
  }
}
