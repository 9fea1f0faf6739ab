#include "server/json.hpp"
#include "server/error.hpp"

#include "tests/support.hpp"

#include <catch2/catch.hpp>

using namespace coldtrace;
using namespace coldtrace::server;

namespace {

constexpr json_field intake_fields[] = {
    {"product", json_type::string},     {"quantity_g", json_type::integer},
    {"imported", json_type::boolean},   {"temperature_c", json_type::number, false},
    {"note", json_type::string, false},
};

}  // namespace

TEST_CASE("a body with exactly the accepted fields parses", "[server]") {
  auto body =
      GENERATE(as<std::string>{}, R"({"product":"pork","quantity_g":1200,"imported":false})",
               R"({"product":"pork","quantity_g":1200,"imported":false,"note":null})",
               R"( {"note":"x","temperature_c":-18.5,"imported":true,
                            "quantity_g":1200,"product":"pork"} )");
  auto parsed = parse_object(body, intake_fields);
  REQUIRE(parsed);
  CHECK(get_string(*parsed, "product") == "pork");
  CHECK(get_integer(*parsed, "quantity_g") == 1200);
  CHECK(get_bool(*parsed, "imported") == (body.find("true") != std::string::npos));
}

TEST_CASE("optional fields may be absent or null", "[server]") {
  auto absent = parse_object(R"({"product":"p","quantity_g":1,"imported":true})", intake_fields);
  auto null =
      parse_object(R"({"product":"p","quantity_g":1,"imported":true,"note":null})", intake_fields);
  auto given = parse_object(R"({"product":"p","quantity_g":1,"imported":true,"note":"cold"})",
                            intake_fields);
  REQUIRE(absent);
  REQUIRE(null);
  REQUIRE(given);
  CHECK_FALSE(find_string(*absent, "note"));
  CHECK_FALSE(find_string(*null, "note"));
  CHECK(find_string(*given, "note") == std::optional<std::string_view>("cold"));
}

TEST_CASE("a bad body is refused with a message a person understands", "[server]") {
  auto [body, code, message] = GENERATE(table<std::string, errc, std::string>({
      {"", errc::malformed_json, "the request body is empty; it must be JSON"},
      {R"({"product":)", errc::malformed_json, "the request body is not valid JSON"},
      {R"({"product":"pork"} x)", errc::malformed_json, "text after the JSON value, at byte 19"},
      {R"(["pork"])", errc::not_an_object, "must be a JSON object ({...}), not an array"},
      {R"({"product":"pork","quantity_g":1,"imported":true,"holder":"X"})", errc::unknown_field,
       R"(unknown field "holder"; accepted: "product", "quantity_g", "imported", )"},
      {R"({"product":"pork","imported":true})", errc::missing_field,
       R"(missing field "quantity_g" (an integer))"},
      {R"({"product":7,"quantity_g":1,"imported":true})", errc::wrong_type,
       R"(field "product" must be a string, not an integer)"},
      {R"({"product":"p","quantity_g":1.5,"imported":true})", errc::wrong_type,
       R"(field "quantity_g" must be an integer, not a fractional number)"},
      {R"({"product":"p","quantity_g":"12","imported":true})", errc::wrong_type,
       R"(field "quantity_g" must be an integer, not a string)"},
      {R"({"product":"p","quantity_g":18446744073709551615,"imported":true})", errc::wrong_type,
       R"(field "quantity_g" is too large)"},
      {R"({"product":null,"quantity_g":1,"imported":true})", errc::wrong_type,
       R"(field "product" must be a string, not null)"},
      {R"({"product":"p","quantity_g":1,"imported":"yes"})", errc::wrong_type,
       R"(field "imported" must be true or false, not a string)"},
  }));
  auto parsed = parse_object(body, intake_fields);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == make_error_code(code));
  CHECK_THAT(parsed.error().message, Catch::Contains(message));
}

TEST_CASE("nested objects are checked with their path in the message", "[server]") {
  constexpr json_field item[] = {{"code", json_type::string}};
  auto value = parse_json(R"({"code":"1","extra":2})");
  REQUIRE(value);
  auto checked = check_fields(value->as_object(), item, "items[2].");
  REQUIRE_FALSE(checked);
  CHECK(checked.error().message == R"(unknown field "items[2].extra"; accepted: "code")");
}
