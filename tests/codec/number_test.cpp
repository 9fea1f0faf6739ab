#include "codec/number.hpp"
#include "codec/code.hpp"

#include "tests/support.hpp"

using namespace coldtrace;
using namespace coldtrace::codec;

namespace {

// The worked example of docs/code-format.md: seed 07…07, code 4000000123.
bytes worked_example_code() {
  auto key = signing_key::from_seed(bytes(32, 0x07)).value();
  payload p;
  p.code_id = 4000000123;
  p.root_lot = 1000123;
  p.split_path = {1, 3};
  p.category = 1;
  p.quantity_g = 2500000;
  p.holder = 100234;
  p.origin = 152;
  p.issued_day = 20784;
  return issue_code(p, key).value();
}

}  // namespace

TEST_CASE("the Damm check digit matches the published example", "[codec]") {
  CHECK(damm_check_digit("572") == '4');  // Damm (2004): 5724
  CHECK(damm_check_digit("5724") == '0');
  CHECK(damm_check_digit("") == '0');
}

TEST_CASE("a code's number is its id, a tag from its signature and a check digit", "[codec]") {
  const auto code = worked_example_code();
  auto n = number_of_code(code);
  REQUIRE(n);
  CHECK(n->code_id == 4000000123);
  CHECK(n->tag == 0x1d18c95au % 100000);  // the signature begins 1d18c95a
  CHECK(number_digits(*n) == "4000000123636747");
  CHECK(format_number(*n) == "4000 0001 2363 6747");
  CHECK(format_number({17, 63674}) == "0000 1763 6742");
  CHECK(format_number({1, 5}) == "0000 0100 0053");
}

TEST_CASE("a number is read in any grouping and gives back the id and tag", "[codec]") {
  auto text = GENERATE(as<std::string>{}, "4000 0001 2363 6747", "4000000123636747",
                       "4000-0001-2363-6747", " 40000001 23636747 ");
  auto n = parse_number(text);
  REQUIRE(n);
  CHECK(*n == code_number{4000000123, 63674});
  CHECK(looks_like_number(text));
}

TEST_CASE("every single wrong digit and every neighbour swap is refused", "[codec]") {
  const std::string good = "000017636742";
  REQUIRE(parse_number(good));
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[i]) continue;
      auto typo = good;
      typo[i] = d;
      CHECK_FALSE(parse_number(typo));
    }
    if (i + 1 < good.size() && good[i] != good[i + 1]) {
      auto swapped = good;
      std::swap(swapped[i], swapped[i + 1]);
      CHECK_FALSE(parse_number(swapped));
    }
  }
}

TEST_CASE("text that is not a number is refused with a reason", "[codec]") {
  auto [text, why] = GENERATE(table<std::string, std::string>({
      {"0000 1763 674", "12 to 25 digits"},
      {"1234567890123456789012345678", "12 to 25 digits"},
      {"0000 1763 674a", "only digits"},
      {"000000000000", "no code id"},
      {"0000 1763 6743", "check digit"},
  }));
  auto n = parse_number(text);
  REQUIRE_FALSE(n);
  CHECK(n.error().code == errc::bad_digits);
  CHECK_THAT(n.error().message, Catch::Contains(why));
}

TEST_CASE("a code's own digits and URLs do not look like a number", "[codec]") {
  CHECK_FALSE(looks_like_number(std::string(270, '1')));
  CHECK_FALSE(looks_like_number("https://example.test/c/0000176367"));
  CHECK_FALSE(looks_like_number(""));
  CHECK_FALSE(looks_like_number(" - "));
  CHECK(looks_like_number("0000 1763 6742"));
}
