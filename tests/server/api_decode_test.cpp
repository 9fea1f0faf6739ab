// The API's decoders alone, without a server: times, path ids, pages and code references.
#include "codec/code.hpp"
#include "codec/digits.hpp"
#include "server/api/decode.hpp"
#include "server/error.hpp"
#include "server/metrics.hpp"
#include "tests/support.hpp"

using namespace coldtrace;
using namespace coldtrace::server;

namespace {

std::int64_t seconds_of(storage::time_point t) {
  return t.time_since_epoch().count();
}

}  // namespace

TEST_CASE("times are RFC 3339 with a zone", "[server][api]") {
  auto [text, expected] = GENERATE(table<std::string, std::int64_t>({
      {"2024-03-01T00:00:00Z", 1709251200},
      {"2024-03-01t00:00:00z", 1709251200},
      {"2024-03-01T08:00:00+08:00", 1709251200},
      {"2024-02-29T23:30:00-00:30", 1709251200},
      {"2024-03-01T00:00:00.999Z", 1709251200},  // the ledger keeps whole seconds
      {"2016-12-31T23:59:60Z", 1483228799},      // a leap second holds at :59
  }));
  auto t = api::parse_time(text, "at");
  INFO(text);
  REQUIRE(t);
  CHECK(seconds_of(*t) == expected);
}

TEST_CASE("a time without a zone or out of range is refused with the field's name",
          "[server][api]") {
  auto text = GENERATE(as<std::string>{}, "2024-03-01T00:00:00", "2024-03-01 00:00:00Z",
                       "2024-03-01", "2024-02-30T00:00:00Z", "2024-03-01T24:00:00Z",
                       "2024-03-01T00:60:00Z", "2024-03-01T00:00:00+8:00", "2024-03-01T00:00:00.Z",
                       "1969-12-31T23:59:59Z", "", "now");
  auto t = api::parse_time(text, "collected_at");
  INFO(text);
  REQUIRE_FALSE(t);
  CHECK(t.error().message.find("collected_at") != std::string::npos);
}

TEST_CASE("path ids are positive decimal integers; anything else names no record",
          "[server][api]") {
  metrics_registry m;
  context ctx(m);
  auto [text, ok] = GENERATE(table<std::string, bool>({{"1", true},
                                                       {"9223372036854775807", false},
                                                       {"123456789012345678", true},
                                                       {"0", false},
                                                       {"-1", false},
                                                       {"1e3", false},
                                                       {"01x", false},
                                                       {"", false}}));
  ctx.params.clear();
  ctx.params.add("id", text);
  auto id = api::path_id(ctx);
  INFO(text);
  CHECK(static_cast<bool>(id) == ok);
  if (!id) CHECK(id.error().code == server::make_error_code(server::errc::not_found));
}

TEST_CASE("a code reference is an id, or a code checked against the published keys",
          "[server][api]") {
  auto key = codec::signing_key::generate().value();
  codec::key_set keys;
  keys.add(key.public_part());
  codec::payload p;
  p.code_id = 42;
  p.root_lot = 7;
  p.category = 1;
  p.quantity_g = 1000;
  p.holder = 3;
  p.origin = 156;
  p.issued_day = 19783;
  auto code = codec::issue_code(p, key).value();
  const auto digits = codec::to_digits(code);

  CHECK(api::signed_code_id("17", keys).value() == 17);
  CHECK(api::signed_code_id(digits, keys).value() == 42);
  CHECK(api::signed_code_id("https://trace.example.gov.cn/c/" + digits, keys).value() == 42);
  code.back() ^= 1;
  auto forged = api::signed_code_id(codec::to_digits(code), keys);
  REQUIRE_FALSE(forged);
  CHECK(forged.error().code == codec::errc::bad_signature);
  auto stranger = codec::signing_key::generate().value();
  CHECK_FALSE(api::signed_code_id(codec::to_digits(codec::issue_code(p, stranger).value()), keys));
  CHECK_FALSE(api::signed_code_id("0", keys));
  CHECK_FALSE(api::signed_code_id("not a code", keys));
}
