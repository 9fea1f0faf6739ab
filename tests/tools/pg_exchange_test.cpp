// The exports, EPCIS and the feed with the ledger on PostgreSQL, end to end: the same month of
// demo data on a SQLite file and on a PostgreSQL database exports the same rows, sheet by
// sheet, from `coldtrace export` and from `serve --db postgresql://...`; every EPCIS document
// either writes passes the independent validator (epcis2.js, tests/tools/epcis_validate.mjs).
#include "tests/storage/pg_support.hpp"
#include "tests/tools/cluster.hpp"
#include "tests/tools/run_cli.hpp"

#include <boost/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>

using namespace coldtrace;
using namespace coldtrace::test;

namespace {

// Rows per sheet (the header left out) of an XLSX file, read by openpyxl (tests/xlsx_dump.py).
std::map<std::string, std::size_t> rows_per_sheet(const std::string& file) {
  const std::string command =
      "/usr/bin/python3 " COLDTRACE_SOURCE_DIR "/tests/xlsx_dump.py " + file;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  std::map<std::string, std::size_t> rows;
  const auto parsed = json::parse(out);
  for (const auto& s : parsed.at("sheets").as_array())
    rows[std::string(s.at("name").as_string())] = s.at("rows").as_array().size() - 1;
  return rows;
}

bool epcis_valid(const std::vector<std::string>& files) {
  std::string command = "node " COLDTRACE_SOURCE_DIR "/tests/tools/epcis_validate.mjs";
  for (const auto& f : files) command += " " + f;
  return std::system(command.c_str()) == 0;
}

void write_file(const std::filesystem::path& p, const std::string& body) {
  std::ofstream(p, std::ios::binary) << body;
}

std::size_t events_in(const std::string& jsonld_file) {
  std::ifstream in{jsonld_file};
  std::string text{std::istreambuf_iterator<char>(in), {}};
  const auto doc = json::parse(text);
  return doc.at("epcisBody").at("eventList").as_array().size();
}

}  // namespace

TEST_CASE(
    "exports, EPCIS and the feed on PostgreSQL: the same rows as on SQLite, from the CLI and "
    "from serve, EPCIS valid",
    "[tools][export][epcis][postgres]") {
  REQUIRE_PG_OR_RETURN();
  storage::test::pg_database pg;
  temp_dir dir;
  const auto keys = (dir.path / "keys").string(), lite = (dir.path / "demo.db").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  for (const auto& db : {lite, pg.uri}) {
    const auto r = run_cli({"db", "demo", "--db", db, "--keys", keys, "--start", "2024-06-01",
                            "--token-out", (dir.path / "token").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
  std::string admin;  // PostgreSQL's, the last written
  std::ifstream{dir.path / "token"} >> admin;
  const std::vector<std::string> month{"--from", "2024-05-25", "--to", "2024-07-15"};

  // coldtrace export, on each backend.
  std::map<std::string, std::map<std::string, std::size_t>> by_db;
  std::map<std::string, std::size_t> epcis_events;
  for (const auto& [name, db] : {std::pair{"sqlite", lite}, std::pair{"pg", pg.uri}}) {
    const auto xlsx = (dir.path / (std::string(name) + ".xlsx")).string();
    std::vector<std::string> args{"export", "--db", db, "--out", xlsx};
    args.insert(args.end(), month.begin(), month.end());
    auto r = run_cli(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    by_db[name] = rows_per_sheet(xlsx);
    const auto lot = (dir.path / (std::string(name) + "-lot.xlsx")).string();
    REQUIRE(run_cli({"export", "--db", db, "--lot", "1", "--out", lot}).status == 0);
    for (const auto& [sheet, n] : rows_per_sheet(lot)) by_db[std::string(name) + "-lot"][sheet] = n;
    const auto jsonld = (dir.path / (std::string(name) + ".jsonld")).string();
    args = {"export", "epcis", "--db", db, "--host", "trace.example.gov.cn", "--out", jsonld};
    args.insert(args.end(), month.begin(), month.end());
    r = run_cli(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    epcis_events[name] = events_in(jsonld);
    CHECK(epcis_valid({jsonld}));
  }
  CHECK(by_db["pg"] == by_db["sqlite"]);
  CHECK(by_db["pg-lot"] == by_db["sqlite-lot"]);
  CHECK(epcis_events["pg"] == epcis_events["sqlite"]);
  std::size_t total = 0;
  for (const auto& [sheet, n] : by_db["pg"]) total += n;
  CHECK(total > 50);

  // serve --db postgresql://...: the same export over HTTP, EPCIS and the feed.
  server_process s({"serve", "--db", pg.uri, "--keys", keys, "--public-url",
                    "https://trace.example.gov.cn", "--checkpoint-interval", "0"},
                   (dir.path / "serve.log").string());
  auto r = s.call("GET", "/api/v1/export/all?from=2024-05-25&to=2024-07-15", {}, admin);
  REQUIRE(r.status == 200);
  write_file(dir.path / "http.xlsx", r.body);
  CHECK(rows_per_sheet((dir.path / "http.xlsx").string()) == by_db["pg"]);
  r = s.call("GET", "/api/v1/export/lot/1", {}, admin);
  REQUIRE(r.status == 200);
  write_file(dir.path / "http-lot.xlsx", r.body);
  CHECK(rows_per_sheet((dir.path / "http-lot.xlsx").string()) == by_db["pg-lot"]);
  r = s.call("GET", "/api/v1/export/lots?format=csv&from=2024-05-25&to=2024-07-15", {}, admin);
  REQUIRE(r.status == 200);
  CHECK(std::count(r.body.begin(), r.body.end(), '\n') >= 2);

  const auto period = (dir.path / "http.jsonld").string(),
             lot = (dir.path / "http-lot.jsonld").string();
  r = s.call("GET", "/api/v1/epcis?from=2024-05-25&to=2024-07-15", {}, admin);
  REQUIRE(r.status == 200);
  write_file(period, r.body);
  r = s.call("GET", "/api/v1/epcis?lot=1", {}, admin);
  REQUIRE(r.status == 200);
  write_file(lot, r.body);
  CHECK(events_in(period) == epcis_events["pg"]);
  CHECK(events_in(lot) > 5);
  CHECK(epcis_valid({period, lot}));

  // The feed pages the whole chain, each event linked to the one before.
  std::int64_t after = 0, seen = 0;
  std::string prev(64, '0');
  for (bool caught_up = false; !caught_up;) {
    r = s.call("GET", "/api/v1/feed?limit=200&after=" + std::to_string(after), {}, admin);
    REQUIRE(r.status == 200);
    for (const auto& e : r.at("events").as_array()) {
      CHECK(e.at("seq").to_number<std::int64_t>() == ++seen);
      CHECK(e.at("prev_hash").as_string() == prev);
      prev = std::string(e.at("hash").as_string());
    }
    after = r.at("next_after").to_number<std::int64_t>();
    caught_up = r.at("caught_up").as_bool();
  }
  CHECK(seen == r.at("head").at("seq").to_number<std::int64_t>());
  CHECK(seen > 200);
}
