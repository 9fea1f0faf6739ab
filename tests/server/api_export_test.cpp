// GET /api/v1/export/... as people use it: the XLSX opened by openpyxl (an independent reader,
// tests/xlsx_dump.py), the CSV as Excel reads it; a unit sees its own records only.
#include "tests/server/api_world.hpp"

#include <array>
#include <cstdio>
#include <fstream>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

// The sheets of an XLSX body by name, each a list of rows, the header first.
std::map<std::string, std::vector<json::array>> sheets_of(const std::string& xlsx) {
  coldtrace::test::temp_dir dir;
  const auto file = dir.path / "export.xlsx";
  std::ofstream(file, std::ios::binary) << xlsx;
  const std::string command =
      "/usr/bin/python3 " COLDTRACE_SOURCE_DIR "/tests/xlsx_dump.py " + file.string();
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  std::map<std::string, std::vector<json::array>> sheets;
  const auto parsed = json::parse(out);
  for (const auto& s : parsed.at("sheets").as_array()) {
    auto& rows = sheets[std::string(s.at("name").as_string())];
    for (const auto& r : s.at("rows").as_array()) rows.push_back(r.as_array());
  }
  return sheets;
}

// The row whose first cell is `id`.
const json::array* row_with(const std::vector<json::array>& rows, std::int64_t id) {
  for (const auto& r : rows)
    if (r.at(0).is_number() && r.at(0).to_number<std::int64_t>() == id) return &r;
  return nullptr;
}

std::size_t data_rows(const std::vector<json::array>& rows) {
  return rows.empty() ? 0 : rows.size() - 1;
}

// A sale of 0.2 kg at shop s from the code it received.
void sell(api_fixture& f, const world& x) {
  const auto code = f.ledger().get_code(storage::actor::local_admin(), x.at_s).value();
  f.ledger().sale_check(f.as(x.op.who), {code.signed_code, x.s, 200}).value();
}

}  // namespace

TEST_CASE("a regulator exports every unit's period as XLSX, Chinese or English",
          "[server][api][export]") {
  api_fixture f;
  const world x = make_world(f);
  sell(f, x);
  auto r = f.get("/api/v1/export/all", x.inspector.token);
  REQUIRE(r.status == 200);
  auto zh = sheets_of(r.body);
  for (const char* name : {"批次", "检测", "消毒", "追溯码", "发货", "收货", "销售"})
    CHECK(zh.count(name) == 1);
  const auto& lots = zh["批次"];
  CHECK(lots.front().at(0).as_string() == "批次号");
  CHECK(data_rows(lots) == 6);
  const auto* rel = row_with(lots, x.rel);
  REQUIRE(rel);
  CHECK(rel->at(1).as_string() == "冻带鱼");
  CHECK(rel->at(2).as_string() == "国产冷冻肉禽水产品");
  CHECK(rel->at(4).to_number<double>() == 100.0);  // kg
  CHECK(rel->at(12).as_string() == "已放行");
  CHECK(data_rows(zh["检测"]) == 6);
  CHECK(data_rows(zh["发货"]) == 6);
  CHECK(data_rows(zh["收货"]) == 2);
  REQUIRE(data_rows(zh["销售"]) == 1);
  CHECK(zh["销售"][1].at(1).to_number<std::int64_t>() == x.at_s);
  CHECK(zh["销售"][1].at(5).to_number<double>() == Approx(0.2));

  auto en = sheets_of(f.get("/api/v1/export/lots?lang=en", x.admin.token).body);
  REQUIRE(en.count("lots") == 1);
  CHECK(en["lots"].front().at(0).as_string() == "Lot");
  CHECK(row_with(en["lots"], x.rel)->at(12).as_string() == "released");
  // A period before everything: headers only.
  auto old =
      sheets_of(f.get("/api/v1/export/lots?from=2020-01-01&to=2020-01-31", x.admin.token).body);
  CHECK(data_rows(old["批次"]) == 0);
}

TEST_CASE("a unit exports its own records only, CSV for one kind", "[server][api][export]") {
  api_fixture f;
  const world x = make_world(f);
  sell(f, x);
  auto lots = sheets_of(f.get("/api/v1/export/lots", x.wh.token).body)["批次"];
  CHECK(data_rows(lots) == 3);  // held, ready, rel: the lots of w
  CHECK(row_with(lots, x.rel2) == nullptr);

  auto codes = sheets_of(f.get("/api/v1/export/codes", x.op.token).body)["追溯码"];
  CHECK(data_rows(codes) == 2);  // received and pending at s
  CHECK(f.get("/api/v1/export/codes?unit=" + std::to_string(x.s2), x.op.token).status == 403);

  auto csv = f.get("/api/v1/export/sales?format=csv", x.op.token);
  REQUIRE(csv.status == 200);
  CHECK(csv.body.rfind("\xEF\xBB\xBF销售编号,追溯码编号,批次号,品名,销售单位", 0) == 0);
  CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 2);
  CHECK(csv.body.find(",0.200,") != std::string::npos);
  auto none = f.get("/api/v1/export/sales?format=csv", x.op2.token);
  CHECK(std::count(none.body.begin(), none.body.end(), '\n') == 1);
}

TEST_CASE("everything about one lot, a sheet per kind", "[server][api][export]") {
  api_fixture f;
  const world x = make_world(f);
  sell(f, x);
  const auto target = "/api/v1/export/lot/" + std::to_string(x.rel);
  auto all = sheets_of(f.get(target, x.inspector.token).body);
  CHECK(data_rows(all["批次"]) == 1);
  CHECK(data_rows(all["检测"]) == 1);
  CHECK(data_rows(all["消毒"]) == 1);
  CHECK(data_rows(all["追溯码"]) == 4);  // the root, and three dispatched from it
  CHECK(data_rows(all["发货"]) == 3);
  CHECK(data_rows(all["收货"]) == 1);
  CHECK(data_rows(all["销售"]) == 1);
  // The shop holds a code of it: the lot's facts, and its own part of the chain only.
  auto shop = sheets_of(f.get(target, x.op.token).body);
  CHECK(data_rows(shop["批次"]) == 1);
  CHECK(data_rows(shop["检测"]) == 1);
  CHECK(data_rows(shop["追溯码"]) == 2);
  CHECK(data_rows(shop["发货"]) == 0);
  CHECK(data_rows(shop["收货"]) == 1);
  CHECK(data_rows(shop["销售"]) == 1);
  CHECK(f.get(target, x.op2.token).status == 404);
  CHECK(f.get(target + "?lang=en", x.wh.token).status == 200);
}

TEST_CASE("exports refuse bad parameters in plain words", "[server][api][export]") {
  api_fixture f;
  const world x = make_world(f);
  struct bad {
    std::string target;
    unsigned status;
    std::string says;
  };
  const bad cases[] = {
      {"/api/v1/export/lots?format=pdf", 400, "\"format\" is \"pdf\"; it must be xlsx or csv"},
      {"/api/v1/export/lots?lang=fr", 400, ""},  // the message then in Chinese
      {"/api/v1/export/lots?from=2024-13-01", 400, "2024-13-01"},
      {"/api/v1/export/lots?from=2024-03-02&to=2024-03-01", 400, "must not be later"},
      {"/api/v1/export/all?format=csv", 400, "a CSV file holds one kind of record"},
      {"/api/v1/export/lots?period=3", 400, "unknown query parameter \"period\""},
      {"/api/v1/export/lots?unit=0", 400, "\"unit\" must be an integer from 1"},
      {"/api/v1/export/fish", 404, "there are lots, tests"},
      {"/api/v1/export/lot/999999", 404, "no lot 999999"},
  };
  for (const auto& b : cases) {
    const bool en = b.target.find("lang=") == std::string::npos;
    auto r = f.get(
        b.target + (en ? (b.target.find('?') == std::string::npos ? "?lang=en" : "&lang=en") : ""),
        x.admin.token);
    INFO(b.target << " → " << r.body);
    CHECK(r.status == b.status);
    if (!b.says.empty())
      CHECK(r.at("error").at("message").as_string().find(b.says) != std::string::npos);
  }
  CHECK(f.get("/api/v1/export/lots").status == 401);
}
