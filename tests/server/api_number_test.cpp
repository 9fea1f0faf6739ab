// Issue 15 (the scanner): the short number printed under a QR symbol is accepted wherever a
// scanned code is judged and answers as the QR does; an inspector's scan is judged at the unit
// inspected; the unit directory can be searched by name or credit code.
#include "codec/number.hpp"
#include "tests/server/api_world.hpp"

using namespace coldtrace;
using namespace coldtrace::server::test;

namespace {

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

std::string verdict_for(api_fixture& f, const std::string& text, const std::string& unit = {}) {
  std::string target = "/api/v1/verify?code=";
  for (char c : text) {
    if (c == ' ')
      target += "%20";
    else
      target.push_back(c);
  }
  if (!unit.empty()) target += "&unit=" + unit;
  auto r = f.get(target);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return str(r.at("verdict"));
}

codec::code_number number_of(api_fixture& f, storage::code_id id) {
  const auto code = f.ledger().get_code(storage::actor::local_admin(), id).value();
  return codec::number_of_code(code.signed_code).value();
}

}  // namespace

TEST_CASE("a code's printed number answers as its QR does", "[server][api]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto n = number_of(f, x.at_s);
  const auto printed = codec::format_number(n);
  auto bare = codec::number_digits(n);
  auto hyphens = printed;
  std::replace(hyphens.begin(), hyphens.end(), ' ', '-');

  // The same verdict and facts as the URL, in every grouping.
  auto by_url = f.get("/api/v1/verify?code=" + x.url_at_s);
  REQUIRE(str(by_url.at("verdict")) == "valid");
  CHECK(str(by_url.at("facts").as_object().at("number")) == printed);
  for (const auto& text : {printed, bare, hyphens}) {
    INFO(text);
    CHECK(verdict_for(f, text) == "valid");
  }
  CHECK(verdict_for(f, codec::format_number(number_of(f, x.pending_s))) == "pending_receipt");
  CHECK(verdict_for(f, codec::format_number(number_of(f, x.root))) == "valid");

  // A misread digit, a made-up tag, an id never issued.
  auto typo = bare;
  typo[3] = typo[3] == '9' ? '0' : static_cast<char>(typo[3] + 1);
  CHECK(verdict_for(f, typo) == "malformed");
  auto guessed = n;
  guessed.tag = (n.tag + 1) % 100000;
  CHECK(verdict_for(f, codec::format_number(guessed)) == "forged");
  CHECK(verdict_for(f, codec::format_number({n.code_id + 1000, n.tag})) == "unknown");
}

TEST_CASE("a scan judged at a unit is wrong_holder when another unit holds it", "[server][api]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto printed = codec::format_number(number_of(f, x.at_s));
  CHECK(verdict_for(f, x.url_at_s, std::to_string(x.s)) == "valid");
  CHECK(verdict_for(f, x.url_at_s, std::to_string(x.s2)) == "wrong_holder");
  CHECK(verdict_for(f, printed, std::to_string(x.s2)) == "wrong_holder");
  CHECK(verdict_for(f, x.url_at_s) == "valid");  // no unit: the public answer as before
  CHECK(f.get("/api/v1/verify?code=1&unit=0").status == 400);
  CHECK(f.get("/api/v1/verify?code=1&unit=x").status == 400);
}

TEST_CASE("sale checks and inspections take the printed number", "[server][api]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto printed = codec::format_number(number_of(f, x.at_s));
  auto sale = f.post("/api/v1/sale-checks", {{"code", printed}, {"quantity_g", 100}}, x.op.token);
  INFO(sale.body);
  REQUIRE(sale.status == 200);
  CHECK(str(sale.at("verdict")) == "valid");
  auto elsewhere = f.post("/api/v1/sale-checks", {{"code", printed}}, x.op2.token);
  CHECK(str(elsewhere.at("verdict")) == "wrong_holder");

  auto guessed = number_of(f, x.at_s);
  guessed.tag = (guessed.tag + 7) % 100000;
  auto i = f.post("/api/v1/inspections",
                  {{"unit", x.s2},
                   {"codes", json::array{printed, codec::format_number(guessed)}},
                   {"uncoded_items", 0},
                   {"note", ""}},
                  x.inspector.token);
  INFO(i.body);
  REQUIRE(i.status == 201);
  const auto& codes = i.at("codes").as_array();
  REQUIRE(codes.size() == 2);
  CHECK(str(codes[0].as_object().at("verdict")) == "wrong_holder");
  CHECK(str(codes[1].as_object().at("verdict")) == "forged");
}

TEST_CASE("the unit directory is searched by name or credit code", "[server][api]") {
  api_fixture f;
  const auto market = f.add_unit(storage::unit_kind::seller, "浦东鲜品农贸市场");
  f.add_unit(storage::unit_kind::seller, "徐汇水产批发");
  const auto wild = f.add_unit(storage::unit_kind::seller, "100%_鲜");
  const auto credit = f.ledger().get_unit(market).value().credit_code;
  auto ids = [&](const std::string& q) {
    auto r = f.get("/api/v1/units?limit=20&q=" + q, f.admin.token);
    INFO(r.body);
    REQUIRE(r.status == 200);
    std::vector<std::int64_t> out;
    for (const auto& u : r.at("units").as_array()) out.push_back(u.as_object().at("id").as_int64());
    return out;
  };
  CHECK(ids("%E9%B2%9C%E5%93%81") == std::vector<std::int64_t>{market});  // 鲜品
  CHECK(ids(credit) == std::vector<std::int64_t>{market});
  // A lower-case credit code prefix: the check characters are letters.
  std::string lower = credit.substr(0, 17);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(ids(lower) == std::vector<std::int64_t>{market});
  CHECK(ids("%25_") == std::vector<std::int64_t>{wild});  // LIKE's wildcards, taken literally
  CHECK(ids("nothing-like-this").empty());
  CHECK(f.get("/api/v1/units?q=" + std::string(101, 'a'), f.admin.token).status == 400);
}
