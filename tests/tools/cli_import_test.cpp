// coldtrace import (issue 12) round trips on demo data: dispatches imported from CSV come out of
// coldtrace export as the same records, the consignee's receipts of them too, sales from an
// XLSX file written by openpyxl (an independent writer) as well; a file imported again writes
// nothing twice; a dry run writes nothing; the rows to fix are reported by row and column.
#include "storage/sqlite_ledger.hpp"
#include "tests/support.hpp"
#include "tests/tools/run_cli.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

using namespace coldtrace;
using coldtrace::test::run_cli;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f{p, std::ios::binary};
  f << text;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream f{p, std::ios::binary};
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// The CSV export of one kind for today, as rows of cells (the header first).
std::vector<std::vector<std::string>> exported(const std::string& db, const std::string& kind,
                                               const std::filesystem::path& out) {
  const auto r = run_cli({"export", "--db", db, "--kind", kind, "--out", out.string()});
  REQUIRE(r.status == 0);
  std::vector<std::vector<std::string>> rows;
  std::stringstream text(read(out).substr(3));  // after the byte-order mark
  for (std::string line; std::getline(text, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::stringstream l(line);
    for (std::string c; std::getline(l, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

struct demo_world {
  std::string db, keys;
  storage::code_id code = 0;  // held by a shop, with stock
  std::string url;
  storage::unit_id shop = 0, consignee = 0;
  std::string consignee_name, consignee_credit;
};

demo_world make_demo(const test::temp_dir& dir) {
  demo_world w;
  w.db = (dir.path / "demo.db").string();
  w.keys = (dir.path / "keys").string();
  REQUIRE(run_cli({"keygen", "--dir", w.keys}).status == 0);
  const auto demo = run_cli(
      {"db", "demo", "--db", w.db, "--keys", w.keys, "--token-out", (dir.path / "t").string()});
  REQUIRE(demo.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(demo.out, m, std::regex{R"(code (\d+) \(valid at a shop\): (\S+))"}));
  w.code = std::stoll(m[1]);
  w.url = m[2];
  storage::sqlite_options options;
  options.file = w.db;
  auto ledger = storage::sqlite_ledger::open(options).value();
  const auto admin = storage::actor::local_admin();
  w.shop = ledger->get_code(admin, w.code).value().holder;
  for (const auto& u : ledger->list_units({0, 500}).value())
    if (u.kind == storage::unit_kind::seller && u.id != w.shop) {
      w.consignee = u.id;
      w.consignee_name = u.name;
      w.consignee_credit = u.credit_code;
    }
  REQUIRE(w.consignee != 0);
  return w;
}

}  // namespace

TEST_CASE("import → export gives the same records; again, nothing twice", "[tools][import]") {
  test::temp_dir dir;
  const auto w = make_demo(dir);
  auto import = [&](const std::filesystem::path& file, storage::unit_id unit,
                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "import", "--db", w.db, "--keys", w.keys, "--unit", std::to_string(unit), file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  const auto before = exported(w.db, "dispatches", dir.path / "d0.csv").size();

  // Dispatches: by unit id and by credit code, kilograms with up to three decimals.
  const auto code = std::to_string(w.code);
  const std::vector<std::string> kg{"0.010", "0.02", "0.125", "1", "0.003"};
  std::string csv = "\xef\xbb\xbf参考号,追溯码,收货单位,数量（千克）\r\n";
  for (std::size_t i = 0; i < kg.size(); ++i)
    csv += "DO-" + std::to_string(i) + "," + code + "," +
           (i % 2 ? w.consignee_credit : std::to_string(w.consignee)) + "," + kg[i] + "\r\n";
  write(dir.path / "dispatches.csv", csv);
  auto dry = import(dir.path / "dispatches.csv", w.shop, {"--dry-run"});
  INFO(dry.out << dry.err);
  REQUIRE(dry.status == 0);
  CHECK(exported(w.db, "dispatches", dir.path / "d1.csv").size() == before);
  auto r = import(dir.path / "dispatches.csv", w.shop);
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("5 rows, 5 written (0 already before)") != std::string::npos);
  auto rows = exported(w.db, "dispatches", dir.path / "d2.csv");
  REQUIRE(rows.size() == before + kg.size());
  // 调拨编号, 子码编号, 来源码编号, 批次号, 品名, 发货单位, 收货单位, 数量（千克）, ...
  std::vector<std::string> children;
  for (std::size_t i = 0; i < kg.size(); ++i) {
    const auto& row = rows[before + i];
    CHECK(row[2] == code);
    CHECK(row[6] == w.consignee_name);
    CHECK(std::stod(row[7]) == Approx(std::stod(kg[i])));
    children.push_back(row[1]);
  }
  // The same file again: nothing written twice.
  auto again = import(dir.path / "dispatches.csv", w.shop);
  CHECK(again.status == 0);
  CHECK(again.out.find("5 rows, 5 written (5 already before)") != std::string::npos);
  CHECK(exported(w.db, "dispatches", dir.path / "d3.csv").size() == before + kg.size());

  // The consignee's receipts of the child codes.
  std::string receipts = "参考号,追溯码\n";
  for (std::size_t i = 0; i < children.size(); ++i)
    receipts += "GRN-" + std::to_string(i) + "," + children[i] + "\n";
  write(dir.path / "receipts.csv", receipts);
  REQUIRE(import(dir.path / "receipts.csv", w.consignee).status == 0);
  auto received = exported(w.db, "receipts", dir.path / "r.csv");
  for (const auto& child : children) {
    const auto found = std::find_if(received.begin(), received.end(), [&](const auto& row) {
      return row.size() > 9 && row[1] == child && row[6] == w.consignee_name && !row[9].empty();
    });
    CHECK(found != received.end());
  }

  // Sales from an XLSX workbook that openpyxl writes, the code as its URL.
  const auto xlsx = dir.path / "sales.xlsx";
  const std::string script =
      "import openpyxl, sys\nwb = openpyxl.Workbook()\nws = wb.active\n"
      "ws.append(['参考号', '追溯码', '数量（千克）'])\n"
      "for i in range(3): ws.append(['POS-%d' % i, sys.argv[1], 0.25])\n"
      "wb.save(sys.argv[2])\n";
  write(dir.path / "make.py", script);
  REQUIRE(std::system(("/usr/bin/python3 " + (dir.path / "make.py").string() + " '" + w.url + "' " +
                       xlsx.string())
                          .c_str()) == 0);
  const auto sold_before = exported(w.db, "sales", dir.path / "s0.csv").size();
  auto s = import(xlsx, w.shop);
  INFO(s.out << s.err);
  REQUIRE(s.status == 0);
  auto sales = exported(w.db, "sales", dir.path / "s1.csv");
  REQUIRE(sales.size() == sold_before + 3);
  for (std::size_t i = sold_before; i < sales.size(); ++i) {
    CHECK(sales[i][1] == code);
    CHECK(std::stod(sales[i][5]) == Approx(0.25));
  }
}

TEST_CASE("import reports the rows to fix, and refuses what it cannot read", "[tools][import]") {
  test::temp_dir dir;
  const auto w = make_demo(dir);
  const auto unit = std::to_string(w.shop);
  write(dir.path / "bad.csv", "参考号,追溯码,数量（千克）\n,x,1\nPOS-1," + w.url + ",-2\n");
  const auto report = (dir.path / "report.csv").string();
  auto r = run_cli({"import", "--db", w.db, "--keys", w.keys, "--unit", unit,
                    (dir.path / "bad.csv").string(), "--report", report});
  CHECK(r.status == 1);
  const auto text = read(report);
  CHECK(text.starts_with("\xef\xbb\xbf行号,列,问题\r\n"));
  CHECK(text.find("2,参考号,请填写“参考号”") != std::string::npos);
  CHECK(text.find("3,数量（千克）,“-2”不是有效的千克数") != std::string::npos);

  write(dir.path / "gbk.csv", "\xb2\xce\xbf\xbc\xba\xc5\n");
  auto gbk = run_cli(
      {"import", "--db", w.db, "--keys", w.keys, "--unit", unit, (dir.path / "gbk.csv").string()});
  CHECK(gbk.status == 2);
  CHECK(gbk.err.find("CSV UTF-8") != std::string::npos);
  CHECK(run_cli({"import", "--db", w.db, "--keys", w.keys, "--unit", "99999",
                 (dir.path / "bad.csv").string()})
            .status == 1);
  CHECK(run_cli({"import", "--db", w.db, "--keys", w.keys, "--unit", unit,
                 (dir.path / "missing.csv").string()})
            .status == 2);
}
