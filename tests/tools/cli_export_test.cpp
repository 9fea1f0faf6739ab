// coldtrace export on a month of demo data: the XLSX opened by openpyxl (tests/xlsx_dump.py)
// holds every record of the month, Chinese headers by default, English with --lang en; CSV
// for one kind; bad input exits 2. Prints the rows per second beside the demo's own rate.
#include "tests/support.hpp"
#include "tests/tools/run_cli.hpp"

#include <boost/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace coldtrace;
using coldtrace::test::run_cli;
namespace json = boost::json;

namespace {

json::object sheets_of(const std::string& file) {
  const std::string command =
      "/usr/bin/python3 " COLDTRACE_SOURCE_DIR "/tests/xlsx_dump.py " + file;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  json::object by_name;
  const auto parsed = json::parse(out);
  for (const auto& s : parsed.at("sheets").as_array())
    by_name[s.at("name").as_string()] = s.at("rows");
  return by_name;
}

std::size_t data_rows(const json::object& sheets, std::string_view name) {
  const auto* s = sheets.if_contains(name);
  REQUIRE(s);
  return s->as_array().size() - 1;
}

}  // namespace

TEST_CASE("export writes a month of demo data as XLSX and CSV", "[tools][export]") {
  test::temp_dir dir;
  const auto db = (dir.path / "demo.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  const auto demo = run_cli({"db", "demo", "--db", db, "--keys", keys, "--start", "2024-06-01",
                             "--token-out", (dir.path / "t").string()});
  REQUIRE(demo.status == 0);
  REQUIRE(demo.out.find("12 lots, 70 codes, 110 sales") != std::string::npos);
  const std::vector<std::string> month{"--from", "2024-05-25", "--to", "2024-07-15"};

  const auto xlsx = (dir.path / "month.xlsx").string();
  auto args = std::vector<std::string>{"export", "--db", db, "--out", xlsx};
  args.insert(args.end(), month.begin(), month.end());
  const auto start = std::chrono::steady_clock::now();
  auto r = run_cli(args);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  INFO(r.err);
  REQUIRE(r.status == 0);
  auto zh = sheets_of(xlsx);
  CHECK(data_rows(zh, "批次") == 12);
  CHECK(data_rows(zh, "追溯码") == 70);
  CHECK(data_rows(zh, "销售") == 110);
  CHECK(zh.at("批次").as_array().at(0).as_array().at(0).as_string() == "批次号");
  std::size_t rows = 0;
  for (const auto& [name, s] : zh) rows += s.as_array().size() - 1;
  WARN("export: " << rows << " rows in " << took.count() << " s (the process, start to exit)");

  const auto en_file = (dir.path / "lot1.xlsx").string();
  REQUIRE(run_cli({"export", "--db", db, "--lot", "1", "--lang", "en", "--out", en_file}).status ==
          0);
  auto en = sheets_of(en_file);
  CHECK(data_rows(en, "lots") == 1);
  CHECK(en.at("lots").as_array().at(0).as_array().at(0).as_string() == "Lot");
  CHECK(data_rows(en, "codes") > 1);

  const auto csv = (dir.path / "sales.csv").string();
  args = {"export", "--db", db, "--kind", "sales", "--out", csv};
  args.insert(args.end(), month.begin(), month.end());
  REQUIRE(run_cli(args).status == 0);
  std::ifstream in(csv, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto body = text.str();
  CHECK(body.rfind("\xEF\xBB\xBF销售编号,", 0) == 0);
  CHECK(std::count(body.begin(), body.end(), '\n') == 111);

  CHECK(run_cli({"export", "--db", db, "--out", (dir.path / "x.pdf").string()}).status == 2);
  CHECK(run_cli({"export", "--db", db, "--kind", "fish", "--out", xlsx}).status == 2);
  CHECK(run_cli({"export", "--db", db, "--out", csv}).status == 2);  // CSV of every kind
  CHECK(run_cli({"export", "--db", db, "--lot", "999", "--out", xlsx}).status == 1);
}

TEST_CASE(
    "export epcis writes a lot and a month of demo data as EPCIS 2.0 that an independent "
    "validator accepts",
    "[tools][export][epcis]") {
  test::temp_dir dir;
  const auto db = (dir.path / "demo.db").string(), keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", keys}).status == 0);
  REQUIRE(run_cli({"db", "demo", "--db", db, "--keys", keys, "--start", "2024-06-01", "--token-out",
                   (dir.path / "t").string()})
              .status == 0);
  const auto month = (dir.path / "month.jsonld").string(), lot = (dir.path / "lot.jsonld").string();
  auto r = run_cli({"export", "epcis", "--db", db, "--host", "trace.example.gov.cn", "--from",
                    "2024-05-25", "--to", "2024-07-15", "--out", month});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("of 12 lots written to") != std::string::npos);
  REQUIRE(run_cli({"export", "epcis", "--db", db, "--host", "trace.example.gov.cn", "--lot", "1",
                   "--out", lot})
              .status == 0);
  std::ifstream in{lot};
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = json::parse(text.str());
  CHECK(doc.at("epcisBody")
            .at("eventList")
            .at(0)
            .at("epcList")
            .at(0)
            .as_string()
            .starts_with("https://trace.example.gov.cn/c/"));
  const std::string validator =
      "node " COLDTRACE_SOURCE_DIR "/tests/tools/epcis_validate.mjs " + month + " " + lot;
  CHECK(std::system(validator.c_str()) == 0);

  CHECK(run_cli({"export", "epcis", "--db", db, "--host", "trace.example.gov.cn", "--lot", "1",
                 "--from", "2024-06-01", "--out", lot})
            .status == 2);
  CHECK(run_cli({"export", "epcis", "--db", db, "--host", "trace.example.gov.cn", "--lot", "99",
                 "--out", lot})
            .status == 1);
  CHECK(run_cli({"export", "epcis", "--db", db, "--host", "not a host", "--out", lot}).status == 2);
}
