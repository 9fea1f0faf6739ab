// Reading spreadsheets people fill in (codec/sheet_read.hpp): CSV as RFC 4180 and Excel write
// it, XLSX read back from what libxlsxwriter writes, and files that are damaged, too large or
// not what they claim refused with a message, never trusted.
#include "codec/sheet_read.hpp"
#include "codec/sheet.hpp"

#include <catch2/catch.hpp>

using namespace coldtrace;
using rows = std::vector<std::vector<std::string>>;

TEST_CASE("CSV is read as RFC 4180 and spreadsheets write it", "[codec][sheet]") {
  using row_table = std::tuple<std::string, rows>;
  auto [text, expected] = GENERATE(table<std::string, rows>({
      row_table{"a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
      row_table{"a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
      row_table{"\xef\xbb\xbf参考号,追溯码\n", {{"参考号", "追溯码"}}},
      row_table{"\"a,b\",\"say \"\"hi\"\"\"\n", {{"a,b", "say \"hi\""}}},
      row_table{"\"two\nlines\",x\n", {{"two\nlines", "x"}}},
      // An empty line stays a row, so row numbers are the spreadsheet's.
      row_table{"h\n\nv\n", {{"h"}, {}, {"v"}}},
      row_table{"a,,c\n", {{"a", "", "c"}}},
      row_table{"", {}},
  }));
  auto g = codec::read_csv(text);
  REQUIRE(g.has_value());
  CHECK(g->rows == expected);
}

TEST_CASE("CSV that is not UTF-8 text, or too large, is refused with a reason", "[codec][sheet]") {
  SECTION("GBK, as Excel saves \"CSV\" in a Chinese locale") {
    auto g = codec::read_csv("\xb2\xce\xbf\xbc\xba\xc5,x\n");  // 参考号 in GBK
    REQUIRE_FALSE(g.has_value());
    CHECK(g.error().detail == "file.not_utf8");
  }
  SECTION("overlong UTF-8 and surrogates") {
    CHECK_FALSE(codec::read_csv("\xc0\xaf\n").has_value());
    CHECK_FALSE(codec::read_csv("\xed\xa0\x80\n").has_value());
  }
  SECTION("a quote never closed") {
    CHECK(codec::read_csv("\"open,x\n").error().detail == "file.open_quote");
  }
  SECTION("more rows or columns than the limits") {
    codec::read_limits small{.max_rows = 2, .max_columns = 3};
    CHECK(codec::read_csv("a\nb\nc\n", small).error().detail == "file.too_many_rows");
    CHECK(codec::read_csv("a,b,c,d\n", small).error().detail == "file.too_many_columns");
  }
  SECTION("an XLSX file sent as CSV") {
    CHECK(codec::read_csv(std::string("PK\x03\x04rest", 8)).error().detail == "file.is_xlsx");
  }
}

namespace {

std::string workbook() {
  codec::sheet first{"发货", {"参考号", "追溯码", "收货单位", "数量（千克）"}, {}};
  first.rows.push_back(
      {std::string{"DO-1"}, std::int64_t{17}, std::string{"91310000MA1FL8"}, 12.5});
  first.rows.push_back(
      {std::string{"DO-2"}, std::monostate{}, std::string{"天平路 \"店\""}, std::int64_t{3}});
  codec::sheet second{"填写说明", {"列"}, {{std::string{"not read"}}}};
  return codec::to_xlsx({first, second}).value();
}

}  // namespace

TEST_CASE("an XLSX workbook's first sheet reads back as libxlsxwriter wrote it", "[codec][sheet]") {
  const auto bytes = workbook();
  REQUIRE(codec::looks_like_zip(bytes));
  auto g = codec::read_xlsx(bytes);
  REQUIRE(g.has_value());
  REQUIRE(g->rows.size() == 3);
  CHECK(g->rows[0] == std::vector<std::string>{"参考号", "追溯码", "收货单位", "数量（千克）"});
  CHECK(g->rows[1] == std::vector<std::string>{"DO-1", "17", "91310000MA1FL8", "12.5"});
  // An empty cell is an empty string between its neighbours.
  CHECK(g->rows[2] == std::vector<std::string>{"DO-2", "", "天平路 \"店\"", "3"});
}

TEST_CASE("an XLSX file that is damaged, not XLSX, or too large is refused", "[codec][sheet]") {
  const auto bytes = workbook();
  SECTION("cut short at any point") {
    for (std::size_t n : {std::size_t{0}, std::size_t{4}, std::size_t{30}, bytes.size() / 3,
                          bytes.size() / 2, bytes.size() - 23, bytes.size() - 1}) {
      auto g = codec::read_xlsx(std::string_view(bytes).substr(0, n));
      CHECK_FALSE(g.has_value());
    }
  }
  SECTION("a byte changed in each part: refused or read, never a crash") {
    for (std::size_t at = 0; at < bytes.size(); at += 97) {
      auto changed = bytes;
      changed[at] = static_cast<char>(changed[at] ^ 0x5a);
      auto g = codec::read_xlsx(changed);
      if (!g.has_value()) CHECK_FALSE(g.error().message.empty());
    }
  }
  SECTION("an old .xls or a CSV") {
    CHECK(codec::read_xlsx("\xd0\xcf\x11\xe0 old xls").error().detail == "file.not_xlsx");
    CHECK(codec::read_xlsx("a,b\n").error().detail == "file.not_xlsx");
  }
  SECTION("more XML than the limit, as a ZIP bomb would claim") {
    codec::read_limits tiny{.max_unpacked = 512};
    CHECK(codec::read_xlsx(bytes, tiny).error().detail == "file.damaged");
  }
  SECTION("more rows than the limit") {
    codec::read_limits two{.max_rows = 2};
    CHECK(codec::read_xlsx(bytes, two).error().detail == "file.too_many_rows");
  }
}
