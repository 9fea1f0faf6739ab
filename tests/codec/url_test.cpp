#include "codec/url.hpp"
#include "codec/digits.hpp"

#include "tests/support.hpp"

using namespace coldtrace;
using namespace coldtrace::codec;

namespace {
const bytes sample{0x00, 0xd2, 0x84, 0x43};
const std::string sample_digits = to_digits(sample);
}  // namespace

TEST_CASE("code URLs are emitted lowercase", "[codec]") {
  auto url = make_code_url("Trace.Example.GOV.cn:8443", sample);
  REQUIRE(url);
  CHECK(*url == "https://trace.example.gov.cn:8443/c/" + sample_digits);
}

TEST_CASE("code URLs parse case-insensitively", "[codec]") {
  auto input = GENERATE(as<std::string>{}, "https://trace.example.gov.cn/c/",
                        "HTTPS://TRACE.EXAMPLE.GOV.CN/C/", "Https://Trace.example.gov.cn/C/",
                        "https://127.0.0.1:8080/c/");
  auto u = parse_code_url(input + sample_digits);
  REQUIRE(u);
  CHECK(u->code == sample);
  CHECK(u->host ==
        (input.find("127") != std::string::npos ? "127.0.0.1:8080" : "trace.example.gov.cn"));
}

TEST_CASE("anything but a code URL is rejected with a precise error", "[codec]") {
  auto [input, fragment] = GENERATE(table<std::string, std::string>({
      {"http://trace.example.gov.cn/c/" + sample_digits, "https://, not http://"},
      {"ftp://trace.example.gov.cn/c/" + sample_digits, "starts with https://"},
      {"https://trace.example.gov.cn", "no path"},
      {"https://trace.example.gov.cn/d/" + sample_digits, "does not start with /c/"},
      {"https://trace_example.gov.cn/c/" + sample_digits, "host contains '_'"},
      {"https:///c/" + sample_digits, "no host"},
      {"https://trace.example.gov.cn:99999/c/" + sample_digits, "port"},
      {"https://trace.example.gov.cn/c/" + sample_digits + "?x=1", "is not a digit"},
      {"https://trace.example.gov.cn/c/" + sample_digits.substr(1), "not a valid length"},
  }));
  auto u = parse_code_url(input);
  REQUIRE_FALSE(u);
  CHECK_THAT(u.error().message, Catch::Contains(fragment));
}

TEST_CASE("code text is a URL or bare digits", "[codec]") {
  CHECK(*parse_code_text(sample_digits) == sample);
  CHECK(*parse_code_text("https://x.cn/c/" + sample_digits + "\r\n") == sample);
  CHECK_FALSE(parse_code_text("hello"));
}
