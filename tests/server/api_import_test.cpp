// Importing spreadsheets (issue 12): the templates, a dry run that checks every row and writes
// nothing, an import that writes the good rows and reports the others by row and column in
// Chinese, and the same file imported again writing nothing twice.
#include "codec/sheet.hpp"
#include "codec/sheet_read.hpp"
#include "tests/server/api_world.hpp"
#include "tests/support.hpp"

#include <array>
#include <cstdio>
#include <fstream>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

api_reply upload(api_fixture& f, const std::string& file, const caller& as,
                 std::string_view query = "") {
  return f.call_with("POST", "/api/v1/import" + std::string(query), file, as.token,
                     {{"Content-Type", "text/csv"}});
}

std::string dispatch_csv(const world& x) {
  const auto to = std::to_string(x.s2);
  const auto code = std::to_string(x.at_s);
  return "参考号,追溯码,收货单位,数量（千克）\r\n"
         "DO-1," +
         code + "," + to +
         ",0.010\r\n"  // row 2: good
         "DO-2," +
         code + "," + to +
         ",abc\r\n"  // row 3: not a number
         "," +
         code + "," + to +
         ",0.01\r\n"  // row 4: no reference
         "DO-4," +
         std::to_string(x.at_s2) + "," + to +
         ",0.01\r\n"  // row 5: another unit's
         "\r\n"
         "DO-6," +
         code + ",99999,0.01\r\n";  // row 7: no such unit
}

json::array problems_of(const api_reply& r) {
  return r.at("problems").as_array();
}

}  // namespace

TEST_CASE("the import templates have the columns, in Chinese or English", "[server][api][import]") {
  api_fixture f;
  const world x = make_world(f);
  auto csv = f.get("/api/v1/import/templates/dispatches.csv", x.op.token);
  REQUIRE(csv.status == 200);
  CHECK(csv.body == "\xef\xbb\xbf参考号,追溯码,收货单位,数量（千克）\r\n");
  auto en = f.get("/api/v1/import/templates/sales.csv?lang=en", x.op.token);
  CHECK(en.body == "\xef\xbb\xbfReference,Code,Quantity (kg)\r\n");
  auto xlsx = f.get("/api/v1/import/templates/receipts.xlsx", x.op.token);
  REQUIRE(xlsx.status == 200);
  auto g = codec::read_xlsx(xlsx.body);
  REQUIRE(g);
  CHECK(g->rows.at(0) == std::vector<std::string>{"参考号", "追溯码"});
  // An independent reader (openpyxl, tests/xlsx_dump.py) opens it: the template, then how to
  // fill it in.
  test::temp_dir dir;
  const auto file = (dir.path / "t.xlsx").string();
  {
    std::ofstream out{file, std::ios::binary};
    out << f.get("/api/v1/import/templates/dispatches.xlsx", x.op.token).body;
  }
  const std::string command =
      "/usr/bin/python3 " COLDTRACE_SOURCE_DIR "/tests/xlsx_dump.py " + file;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string dumped;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) dumped.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  const auto sheets = json::parse(dumped).at("sheets").as_array();
  REQUIRE(sheets.size() == 2);
  CHECK(sheets[0].at("name") == "发货");
  CHECK(sheets[0].at("rows").at(0) == json::array{"参考号", "追溯码", "收货单位", "数量（千克）"});
  CHECK(sheets[1].at("name") == "填写说明");
  CHECK(f.get("/api/v1/import/templates/recalls.csv", x.op.token).status == 404);
  CHECK(f.get("/api/v1/import/templates/sales.pdf", x.op.token).status == 404);
  CHECK(f.get("/api/v1/import/templates/sales.csv").status == 200);  // public: a plain link
}

TEST_CASE("a dry run reports every row to fix and writes nothing", "[server][api][import]") {
  api_fixture f;
  const world x = make_world(f);
  const auto events = f.audit_events();
  auto r = upload(f, dispatch_csv(x), x.op, "?dry_run=true");
  REQUIRE(r.status == 200);
  CHECK(r.at("kind") == "dispatches");
  CHECK(r.at("rows").as_int64() == 5);
  CHECK(r.at("ok").as_int64() == 1);
  CHECK(r.at("failed").as_int64() == 4);
  const auto p = problems_of(r);
  REQUIRE(p.size() == 4);
  CHECK(p[0].at("row").as_int64() == 3);
  CHECK(p[0].at("column") == "数量（千克）");
  CHECK(std::string(p[0].at("message").as_string()).starts_with("“abc”不是有效的千克数"));
  CHECK(p[1].at("row").as_int64() == 4);
  CHECK(p[1].at("column") == "参考号");
  CHECK(p[2].at("row").as_int64() == 5);
  CHECK(p[2].at("column") == "追溯码");
  CHECK(p[2].at("code") == "not_found");
  CHECK(p[3].at("row").as_int64() == 7);
  CHECK(p[3].at("column") == "收货单位");
  CHECK(f.audit_events() == events);
}

TEST_CASE("an import writes the good rows once, and reports the others", "[server][api][import]") {
  api_fixture f;
  const world x = make_world(f);
  const auto held = f.ledger().get_code(x.op.who, x.at_s).value();
  auto r = upload(f, dispatch_csv(x), x.op);
  REQUIRE(r.status == 200);
  CHECK(r.at("written").as_bool());
  CHECK(r.at("ok").as_int64() == 1);
  CHECK(f.ledger().get_code(x.op.who, x.at_s).value().remaining_g == held.remaining_g - 10);
  SECTION("the same file again writes nothing twice") {
    const auto events = f.audit_events();
    auto again = upload(f, dispatch_csv(x), x.op);
    CHECK(again.at("replayed").as_int64() == 1);
    CHECK_FALSE(again.at("written").as_bool());
    CHECK(problems_of(again).size() == 4);
    CHECK(f.audit_events() == events);
  }
  SECTION("as XLSX, consignee by credit code, in English") {
    const auto s2 = f.ledger().get_unit(x.s2).value();
    codec::sheet s{"发货", {"Reference", "Code", "Consignee", "Quantity (kg)"}, {}};
    s.rows.push_back({std::string{"DO-X1"}, std::int64_t{x.at_s}, s2.credit_code, 0.02});
    auto xr = f.call_with("POST", "/api/v1/import?lang=en", codec::to_xlsx({s}).value(), x.op.token,
                          {{"Content-Type", "application/octet-stream"}});
    REQUIRE(xr.status == 200);
    CHECK(xr.at("ok").as_int64() == 1);
    CHECK(xr.at("written").as_bool());
    CHECK(f.ledger().get_code(x.op.who, x.at_s).value().remaining_g == held.remaining_g - 10 - 20);
  }
}

TEST_CASE("an import refuses a file it cannot read, and writes nothing", "[server][api][import]") {
  api_fixture f;
  const world x = make_world(f);
  const auto events = f.audit_events();
  SECTION("GBK text") {
    auto r = upload(f, "\xb2\xce\xbf\xbc\xba\xc5\r\n", x.op);
    CHECK(r.status == 400);
    CHECK(std::string(r.at("error").at("message").as_string()).find("CSV UTF-8") !=
          std::string::npos);
  }
  SECTION("no template's header") {
    auto r = upload(f, "品名,重量\r\n冻带鱼,1\r\n", x.op);
    CHECK(r.status == 400);
    CHECK(std::string(r.at("error").at("message").as_string())
              .starts_with("第 1 行不是导入模板的表头"));
  }
  SECTION("a header and nothing else") {
    CHECK(upload(f, "参考号,追溯码\r\n", x.op).status == 400);
  }
  SECTION("a damaged workbook") {
    CHECK(upload(f, std::string("PK\x03\x04", 4) + "broken", x.op).status == 400);
  }
  SECTION("dry_run other than true or false") {
    CHECK(upload(f, dispatch_csv(x), x.op, "?dry_run=yes").status == 400);
  }
  SECTION("an inspector") {
    CHECK(upload(f, dispatch_csv(x), x.inspector).status == 403);
  }
  CHECK(f.audit_events() == events);
}
