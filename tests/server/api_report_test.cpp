// GET /api/v1/report.xlsx (issue 12): the bureau's periodic report as a workbook, opened by
// openpyxl (tests/xlsx_dump.py), with the figures GET /api/v1/stats gives for the same days.
#include "codec/day.hpp"
#include "tests/server/api_world.hpp"

#include <array>
#include <cstdio>
#include <fstream>

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

using sheet_rows = std::vector<json::array>;

std::map<std::string, sheet_rows> sheets_of(const std::string& xlsx) {
  coldtrace::test::temp_dir dir;
  const auto file = dir.path / "report.xlsx";
  std::ofstream(file, std::ios::binary) << xlsx;
  const std::string command =
      "/usr/bin/python3 " COLDTRACE_SOURCE_DIR "/tests/xlsx_dump.py " + file.string();
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  std::map<std::string, sheet_rows> sheets;
  const auto parsed = json::parse(out);
  for (const auto& s : parsed.at("sheets").as_array()) {
    auto& rows = sheets[std::string(s.at("name").as_string())];
    for (const auto& r : s.at("rows").as_array()) rows.push_back(r.as_array());
  }
  return sheets;
}

// The value beside `label` in a two-column sheet.
json::value value_of(const sheet_rows& rows, std::string_view label) {
  for (const auto& r : rows)
    if (r.at(0).is_string() && r.at(0).as_string() == label) return r.at(1);
  FAIL("no row " << label);
  return nullptr;
}

const json::array& row_of(const sheet_rows& rows, std::string_view first) {
  for (const auto& r : rows)
    if (r.at(0).is_string() && r.at(0).as_string() == first) return r;
  FAIL("no row " << first);
  throw;
}

std::int64_t num(const json::value& v) {
  return v.to_number<std::int64_t>();
}

std::string today_text() {
  return codec::format_day(codec::today());
}

}  // namespace

TEST_CASE("the report as XLSX has the period's figures in four sheets, zh or en",
          "[server][api][report]") {
  api_fixture f;
  const world x = make_world(f);
  const std::string period = "from=" + today_text() + "&to=" + today_text();
  const auto stats = f.get("/api/v1/stats?" + period, x.inspector.token);
  REQUIRE(stats.status == 200);
  const auto& frozen_json = stats.at("by_category").as_array().back();
  REQUIRE(frozen_json.at("category") == "domestic_frozen");

  auto r = f.get("/api/v1/report.xlsx?" + period, x.inspector.token);
  REQUIRE(r.status == 200);
  CHECK(r.body.substr(0, 2) == "PK");
  auto zh = sheets_of(r.body);
  REQUIRE(zh.size() == 4);
  for (const char* name : {"概况", "分品类", "市场主体", "召回"}) CHECK(zh.count(name) == 1);

  // The world: six lots of 100 kg of frozen fish, six samples, four negative, two pending,
  // four disinfections; two warehouses and two shops.
  const auto& summary = zh["概况"];
  CHECK(summary.front().at(0).as_string() == "指标");
  CHECK(value_of(summary, "统计期间起").as_string() == today_text());
  CHECK(num(value_of(summary, "入仓批次")) == 6);
  CHECK(value_of(summary, "入仓量（吨）").to_number<double>() == Approx(0.6));
  CHECK(num(value_of(summary, "采样份数")) == 6);
  CHECK(num(value_of(summary, "检测阴性")) == 4);
  CHECK(num(value_of(summary, "待检样品")) == 2);
  CHECK(num(value_of(summary, "消毒次数")) == 4);
  CHECK(num(value_of(summary, "市场主体（家）")) == 4);

  const auto& cats = zh["分品类"];
  CHECK(cats.front().at(0).as_string() == "品类");
  REQUIRE(cats.size() == 1 + 3 + 1);  // header, every category, total
  const auto& frozen = row_of(cats, "国产冷冻肉类、禽类及水产品");
  CHECK(num(frozen.at(1)) == 6);
  CHECK(frozen.at(2).to_number<double>() == Approx(0.6));
  CHECK(num(frozen.at(3)) == num(frozen_json.at("samples_taken")));
  CHECK(num(frozen.at(4)) == num(frozen_json.at("results_negative")));
  CHECK(num(frozen.at(6)) == num(frozen_json.at("results_pending")));
  CHECK(num(frozen.at(7)) == num(frozen_json.at("disinfections")));
  CHECK(num(row_of(cats, "进口水果").at(1)) == 0);
  CHECK(num(row_of(cats, "合计").at(3)) == 6);

  const auto& units = zh["市场主体"];
  CHECK(num(row_of(units, "集中监管仓").at(1)) == 2);
  CHECK(num(row_of(units, "销售单位").at(2)) == 2);
  CHECK(num(row_of(units, "合计").at(1)) == 4);
  CHECK(num(value_of(zh["召回"], "召回次数")) == 0);

  auto en = f.get("/api/v1/report.xlsx?" + period + "&lang=en", x.admin.token);
  REQUIRE(en.status == 200);
  auto sheets = sheets_of(en.body);
  for (const char* name : {"Summary", "By category", "Units by kind", "Recalls"})
    CHECK(sheets.count(name) == 1);
  CHECK(num(value_of(sheets["Summary"], "Samples taken")) == 6);
  CHECK(num(row_of(sheets["By category"], "Domestic frozen meat, poultry and aquatic products")
                .at(1)) == 6);
}

TEST_CASE("the report counts recalls and how far their holders got", "[server][api][report]") {
  api_fixture f;
  world x = make_world(f);
  add_recalls(f, x);
  // Four consignment recalls of 1 kg, one holder each; the shop s accounts for its own.
  f.ledger().respond_recall(f.as(x.op.who), {x.recall_s, 1'000, 0, 0, "已封存"}).value();
  const std::string period = "from=" + today_text() + "&to=" + today_text();
  const auto stats = f.get("/api/v1/stats?" + period, x.admin.token);
  REQUIRE(stats.status == 200);
  const auto& progress = stats.at("recall_progress");
  CHECK(num(stats.at("recalls")) == 4);
  CHECK(num(progress.at("holders")) == 4);
  CHECK(num(progress.at("holders_answered")) == 1);
  CHECK(num(progress.at("recalls_completed")) == 1);
  auto r = f.get("/api/v1/report.xlsx?" + period, x.admin.token);
  REQUIRE(r.status == 200);
  auto zh = sheets_of(r.body);
  const auto& recalls = zh["召回"];
  CHECK(num(value_of(recalls, "召回次数")) == 4);
  CHECK(num(value_of(recalls, "涉及持有单位")) == num(progress.at("holders")));
  CHECK(num(value_of(recalls, "已处置的持有单位")) == num(progress.at("holders_answered")));
  CHECK(num(value_of(recalls, "处置完毕的召回")) == num(progress.at("recalls_completed")));
}
