#include "codec/identifiers.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace coldtrace;
using namespace coldtrace::codec;

namespace {

// The credit-code alphabet of GB 32100-2015, for the exhaustive typo test.
constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

}  // namespace

TEST_CASE("credit codes with a correct check character are accepted", "[codec]") {
  // The first six are published: the standard's own example and the codes of Huawei
  // Technologies, Shenzhen Tencent, Alibaba (China), Beijing Baidu Netcom and Xiaomi. The rest
  // were computed outside this project and cover other authorities and kinds, a check
  // character of 0 (sum ≡ 0 mod 31) and of Y (the last value, 30).
  auto code = GENERATE(
      as<std::string>{}, "91350100M000100Y43", "914403001922038216", "91440300708461136T",
      "91330100716105852F", "91110000802100433B", "91110108551385082Q", "12100000400000624D",
      "51310000500000123R", "92350102MA2XY7T4K3", "93110105MA01C4KR9N", "Y1110000000000001U",
      "311100004000001233", "91310115MA1H7ABC1A", "913101157000000270", "91440300700000010Y");
  SECTION(code) {
    auto r = check_credit_code(code);
    INFO((r ? std::string() : r.error().message));
    CHECK(r.has_value());
  }
}

TEST_CASE("credit codes that are not valid are rejected with a reason", "[codec]") {
  auto [code, reason] = GENERATE(table<std::string, std::string>({
      {"91350100M000100Y4X", "credit code 91350100M000100Y4X: check character should be 3, not X"},
      {"914403001922038217", "check character should be 6, not 7"},
      {"913101157000000271", "check character should be 0, not 1"},
      {"91350100M000100Y4", "a credit code has 18 characters; got 17"},
      {"91350100M000100Y433", "a credit code has 18 characters; got 19"},
      {"", "the credit code: a credit code has 18 characters; got 0"},
      {"91350100m000100y43", "use capital letters ('m' at position 9)"},
      {"91350100O000100Y43", "'O' at position 9 is never used in credit codes"},
      {"9135010IM000100Y43", "'I' at position 8 is never used"},
      {"91350100M000100S43", "'S' at position 16 is never used"},
      {"91350100M000100V43", "'V' at position 16"},
      {"Z1350100M000100Y43", "'Z' at position 1"},
      {"91350100-000100Y43", "the character at position 9 is not a digit or a capital letter"},
      {"91350100 000100Y43", "position 9 is not a digit"},
      {"\xef\xbc\x99"
       "1350100M000100Y43",
       "not a half-width letter or digit at position 1"},
      {std::string("91350100\0"
                   "000100Y43",
                   18),
       "the credit code: the character at position 9"},
  }));
  SECTION(reason) {
    auto r = check_credit_code(code);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_credit_code);
    CHECK_THAT(r.error().message, Catch::Contains(reason));
  }
}

TEST_CASE("a typo in any one character of a credit code is caught", "[codec]") {
  // Every weight is invertible mod 31, so any single substitution changes the check value.
  const std::string good = "91350100M000100Y43";
  int changed = 0;
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (char c : alphabet) {
      if (c == good[i]) continue;
      std::string typo = good;
      typo[i] = c;
      ++changed;
      INFO(typo);
      CHECK_FALSE(check_credit_code(typo).has_value());
    }
  }
  CHECK(changed == 18 * 30);
}

TEST_CASE("customs declaration numbers are 18 digits", "[codec]") {
  SECTION("good") {
    auto number = GENERATE(as<std::string>{}, "223120231000123456", "000000000000000000",
                           "530520240000000001", "999999999999999999");
    INFO(number);
    CHECK(check_customs_number(number).has_value());
  }
  SECTION("bad") {
    auto [number, reason] = GENERATE(table<std::string, std::string>({
        {"22312023100012345", "customs declaration number must be 18 digits; got 17"},
        {"2231202310001234567", "must be 18 digits; got 19"},
        {"", "must be 18 digits; got 0"},
        {"2231202310001234 5", "the character at position 17 is not one"},
        {"22312023I000123456", "only digits are allowed; the character at position 9"},
        {"2231-2023-1000-123456", "the character at position 5 is not one"},
        {"\xef\xbc\x92"
         "23120231000123456",
         "the customs declaration number: only digits"},
    }));
    INFO(number);
    auto r = check_customs_number(number);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_customs_number);
    CHECK_THAT(r.error().message, Catch::Contains(reason));
  }
}

TEST_CASE("countries are found by alpha-2 code and by numeric code", "[codec]") {
  auto [numeric, alpha2, en, zh] = GENERATE(table<int, std::string, std::string, std::string>({
      {156, "CN", "China", "中国"},
      {152, "CL", "Chile", "智利"},
      {32, "AR", "Argentina", "阿根廷"},
      {36, "AU", "Australia", "澳大利亚"},
      {554, "NZ", "New Zealand", "新西兰"},
      {76, "BR", "Brazil", "巴西"},
      {840, "US", "United States", "美国"},
      {826, "GB", "United Kingdom", "英国"},
      {643, "RU", "Russian Federation", "俄罗斯"},
      {704, "VN", "Viet Nam", "越南"},
      {764, "TH", "Thailand", "泰国"},
      {4, "AF", "Afghanistan", "阿富汗"},
      {344, "HK", "Hong Kong", "中国香港"},
      {446, "MO", "Macao", "中国澳门"},
      {158, "TW", "Taiwan, Province of China", "中国台湾"},
      {716, "ZW", "Zimbabwe", "津巴布韦"},
  }));
  SECTION(alpha2) {
    for (std::string typed : {alpha2, std::string{char(alpha2[0] + 32), char(alpha2[1] + 32)},
                              std::string{alpha2[0], char(alpha2[1] + 32)}}) {
      INFO(typed);
      auto by_alpha = find_country(typed);
      REQUIRE(by_alpha.has_value());
      CHECK(by_alpha->numeric == numeric);
      CHECK(by_alpha->alpha2 == alpha2);
      CHECK(by_alpha->name_en == en);
      CHECK(by_alpha->name_zh == zh);
    }
    auto by_numeric = find_country(static_cast<std::uint16_t>(numeric));
    REQUIRE(by_numeric.has_value());
    CHECK(by_numeric->alpha2 == alpha2);
  }
}

TEST_CASE("the country table holds all of ISO 3166-1, each entry once", "[codec]") {
  std::set<int> numerics;
  int by_alpha = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      auto c = find_country(std::string{a, b});
      if (!c) {
        CHECK(c.error().code == errc::bad_country);
        continue;
      }
      ++by_alpha;
      INFO((std::string{a, b}));
      CHECK(c->alpha2 == std::string{a, b});
      CHECK(!c->name_en.empty());
      CHECK(!c->name_zh.empty());
      auto back = find_country(c->numeric);
      REQUIRE(back.has_value());
      CHECK(back->alpha2 == c->alpha2);
      numerics.insert(c->numeric);
    }
  }
  int by_numeric = 0;
  for (int n = 0; n <= 999; ++n) by_numeric += find_country(static_cast<std::uint16_t>(n)) ? 1 : 0;
  CHECK(by_alpha == 249);
  CHECK(by_numeric == 249);
  CHECK(numerics.size() == 249);
}

TEST_CASE("unknown or malformed countries are rejected with a reason", "[codec]") {
  SECTION("by alpha-2") {
    auto [typed, reason] = GENERATE(table<std::string, std::string>({
        {"XX", "no country has the ISO 3166-1 code XX"},
        {"zz", "no country has the ISO 3166-1 code ZZ"},
        {"CHN", "country code CHN: a country is given by its two-letter ISO 3166-1 code"},
        {"C", "two-letter"},
        {"", "the country code: a country is given by its two-letter"},
        {"1A", "two-letter"},
        {"中国", "the country code: a country is given by its two-letter"},
    }));
    INFO(typed);
    auto r = find_country(typed);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_country);
    CHECK_THAT(r.error().message, Catch::Contains(reason));
  }
  SECTION("by numeric") {
    auto numeric = GENERATE(0, 1, 900, 999, 1000, 65535);
    auto r = find_country(static_cast<std::uint16_t>(numeric));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_country);
    CHECK(r.error().message ==
          "no country has the ISO 3166-1 numeric code " + std::to_string(numeric));
  }
}

TEST_CASE("food categories are found by name and by number", "[codec]") {
  auto [id, name, zh, en, imported] =
      GENERATE(table<int, std::string, std::string, std::string, bool>({
          {1, "imported_fruit", "进口水果", "Imported fruit", true},
          {2, "imported_ambient", "进口常温食品", "Imported ambient-temperature food", true},
          {3, "domestic_frozen", "国产冷冻肉类、禽类及水产品",
           "Domestic frozen meat, poultry and aquatic products", false},
      }));
  SECTION(name) {
    auto by_name = find_category(name);
    REQUIRE(by_name.has_value());
    CHECK(by_name->id == id);
    CHECK(by_name->name_zh == zh);
    CHECK(by_name->name_en == en);
    CHECK(by_name->imported == imported);
    auto by_id = find_category(static_cast<std::uint8_t>(id));
    REQUIRE(by_id.has_value());
    CHECK(by_id->name == name);
  }
  SECTION("listed in categories()") {
    CHECK(categories().size() == 3);
    CHECK(categories()[static_cast<std::size_t>(id - 1)].name == name);
  }
}

TEST_CASE("unknown food categories are rejected with the list of known ones", "[codec]") {
  const std::string known = "imported_fruit, imported_ambient, domestic_frozen";
  SECTION("by name") {
    auto name = GENERATE(as<std::string>{}, "", "frozen", "Imported_Fruit", "imported fruit",
                         "imported_fruit ");
    INFO(name);
    auto r = find_category(name);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_category);
    CHECK_THAT(r.error().message, Catch::Contains("the categories are " + known));
  }
  SECTION("by number") {
    auto id = GENERATE(0, 4, 255);
    auto r = find_category(static_cast<std::uint8_t>(id));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_category);
    CHECK(r.error().message == "no food category has the number " + std::to_string(id) +
                                   "; the categories are " + known);
  }
}
