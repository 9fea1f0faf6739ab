#include "server/target.hpp"

#include <catch2/catch.hpp>

#include <boost/url/parse.hpp>

#include <string>
#include <vector>

using namespace coldtrace::server;

namespace {

// What Boost.URL alone makes of a target: the reference the plain-text path must match.
std::optional<std::vector<std::string>> by_url_library(std::string_view target) {
  auto url = target.starts_with('/') ? boost::urls::parse_origin_form(target)
                                     : boost::urls::parse_absolute_uri(target);
  if (!url) return std::nullopt;
  std::vector<std::string> out;
  for (auto s : url->segments()) out.push_back(s);
  return out;
}

std::optional<std::vector<std::string>> by_split(std::string_view target) {
  path_segments s;
  if (!split_target(target, s)) return std::nullopt;
  return std::vector<std::string>(s.parts.begin(), s.parts.end());
}

std::optional<std::string> param_by_url_library(std::string_view target, std::string_view name) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  auto params = url->params();
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

}  // namespace

TEST_CASE("a target's path splits as Boost.URL splits it, plain or encoded", "[server]") {
  for (std::string_view t : {"/",
                             "/a",
                             "/a/",
                             "//a",
                             "/a//b",
                             "/api/v1/verify?code=123",
                             "/c/0123456789?x=1?y",
                             "/c/12%2034",
                             "/a%2Fb/c",
                             "/a b",
                             "/a\"b",
                             "/a#frag",
                             "/a?b#c",
                             "/~u/!$&'()*+,;=:@",
                             "http://host/x/y?z=1",
                             "http://host",
                             "",
                             "/a/?",
                             "/a?%zz",
                             "/%zz"}) {
    INFO(t);
    CHECK(by_split(t) == by_url_library(t));
  }
}

TEST_CASE("a query parameter reads as Boost.URL reads it, plain or encoded", "[server]") {
  for (std::string_view t :
       {"/v?code=123", "/v?a=1&code=2&code=3", "/v?code", "/v?code=", "/v?=1&code=x", "/v", "/v?",
        "/v?&&code=4", "/v?code=a=b", "/v?code=a+b", "/v?code=a%20b", "/v?co%64e=5", "/v?code=a b",
        "/v?code=1#f", "/v?x=1?code=2&code=3", "http://h/v?code=1"}) {
    INFO(t);
    CHECK(query_value(t, "code") == param_by_url_library(t, "code"));
  }
}
