#include "codec/url.hpp"
#include "codec/code.hpp"
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

// Issue 9 §2: a genuine code printed under another host is a counterfeit label.
TEST_CASE("only the platform's own hosts make code URLs that count", "[codec]") {
  const std::vector<std::string> hosts{"Trace.Example.gov.cn", "old-trace.example.gov.cn:8443"};
  const auto own = own_hosts::of(hosts).value();
  SECTION("the public host and the listed extra one, in any case, and bare digits") {
    auto text =
        GENERATE(as<std::string>{}, "https://trace.example.gov.cn/c/",
                 "HTTPS://TRACE.EXAMPLE.GOV.CN/C/", "https://old-trace.example.gov.cn:8443/c/", "");
    auto b = parse_own_code_text(text + sample_digits, own);
    REQUIRE(b);
    CHECK(*b == sample);
  }
  SECTION("any other host, a look-alike or the right host on another port, is foreign") {
    auto text = GENERATE(as<std::string>{}, "https://trace.example.gov.cn.evil.cn/c/",
                         "https://trace-example.gov.cn/c/", "https://old-trace.example.gov.cn/c/",
                         "https://trace.example.gov.cn:444/c/");
    auto b = parse_own_code_text(text + sample_digits, own);
    REQUIRE_FALSE(b);
    CHECK(b.error().code == errc::foreign_host);
    CHECK(verdict_of(b.error()) == verdict::forged);
    CHECK_THAT(b.error().message, Catch::Contains("not this platform's"));
  }
  SECTION("a list with an invalid host is refused") {
    const std::vector<std::string> bad{"trace_example.gov.cn"};
    CHECK_FALSE(own_hosts::of(bad));
  }
}
