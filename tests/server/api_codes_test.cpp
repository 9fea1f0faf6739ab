// Codes over the network: concurrent dispatches against one code keep quantities exact, and
// every kind of scanned text gets the right verdict without ever being an error.
#include "codec/code.hpp"
#include "codec/digits.hpp"
#include "codec/url.hpp"
#include "tests/server/api_fixture.hpp"

#include <atomic>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::server::test;
using storage::account_role;
using storage::unit_kind;

namespace {

// A released lot at a fresh warehouse, through the ledger: the setup is not under test here.
struct released_lot {
  caller staff;
  storage::intake_result in;
};

released_lot release_one(api_fixture& f, std::int64_t grams) {
  auto w = f.add_unit(unit_kind::warehouse);
  released_lot out{f.add_account(w, account_role::warehouse), {}};
  storage::intake_request r{"冻猪肉", "domestic_frozen", "CN", grams, 10, "某屠宰场", "",
                            "",       "沪B·12345"};
  auto& l = f.ledger();
  out.in = l.intake(f.as(out.staff.who), r).value();
  const auto lot = out.in.lot.id;
  auto s = l.add_sample(f.as(out.staff.who),
                        {lot, storage::sample_type::environment, f.as(out.staff.who).at, "张伟"})
               .value();
  l.record_result(f.as(out.staff.who), {s.id, storage::test_outcome::negative, "疾控中心", "R-1",
                                        f.as(out.staff.who).at})
      .value();
  l.record_disinfection(f.as(out.staff.who),
                        {lot, "含氯消毒剂", f.as(out.staff.who).at, "张伟", "XD-9"})
      .value();
  out.in.lot = l.release(f.as(out.staff.who), lot).value();
  return out;
}

std::string verdict_for(api_fixture& f, std::string_view text) {
  std::string target = "/api/v1/verify?code=";
  for (char c : text) {  // percent-encode what a query cannot carry as it is
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_') {
      target += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      target += buf;
    }
  }
  auto r = f.get(target);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return std::string(r.at("verdict").as_string());
}

}  // namespace

TEST_CASE("concurrent dispatches against one code over the network conserve quantity",
          "[server][api]") {
  api_fixture f;
  constexpr std::int64_t portion = 1'000, portions = 60;
  auto lot = release_one(f, portion * portions);
  auto consignee = f.add_unit(unit_kind::seller);
  const auto events_before = f.audit_events();

  constexpr int threads = 8, per_thread = 12;  // 96 attempts for 60 portions
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> pool;
  const std::string body = json::serialize(
      json::object{{"code", lot.in.code.id}, {"consignee", consignee}, {"quantity_g", portion}});
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      client c(f.port());
      for (int i = 0; i < per_thread; ++i) {
        auto r = c.request(
            "POST", "/api/v1/dispatch", body,
            {{"Authorization", "Bearer " + lot.staff.token}, {"Content-Type", "application/json"}});
        if (r.status == 201) {
          ++created;
        } else if (r.status == 409 && r.body.find("insufficient_quantity") != std::string::npos) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  CHECK(created == portions);
  CHECK(refused == threads * per_thread - portions);
  CHECK(other == 0);

  auto code = f.get("/api/v1/codes/" + std::to_string(lot.in.code.id), lot.staff.token);
  CHECK(code.at("remaining_g").as_int64() == 0);
  CHECK(code.at("children").as_int64() == portions);
  auto trace = f.get("/api/v1/trace?lot=" + std::to_string(lot.in.lot.id), lot.staff.token);
  std::int64_t total = 0;
  for (const auto& n : trace.at("descendants").as_array())
    total += n.as_object().at("quantity_g").as_int64();
  CHECK(total == portion * portions);
  CHECK(f.audit_events() == events_before + portions);
}

TEST_CASE("every scanned text gets a verdict, never an error", "[server][api]") {
  api_fixture f;
  auto lot = release_one(f, 5'000);
  const auto url = f.url_of(lot.in.code);
  const auto digits = url.substr(url.find("/c/") + 3);
  const auto& bytes = lot.in.code.signed_code;

  auto altered = [&](std::size_t from_end) {
    auto b = bytes;
    b[b.size() - from_end] ^= 0x01;
    return codec::to_digits(b);
  };
  // The same payload signed by a key we never published.
  auto stranger = codec::signing_key::generate().value();
  auto foreign =
      codec::to_digits(codec::issue_code(codec::read_code(bytes).value(), stranger).value());
  // A genuine signature over a code id the ledger never issued.
  auto p = codec::read_code(bytes).value();
  p.code_id += 1000;
  auto unissued = codec::to_digits(codec::issue_code(p, f.key()).value());
  std::string upper = url;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

  struct row {
    std::string name, text, expected;
  };
  // A loop, not GENERATE: each generated value would rerun the test with a fresh ledger.
  const row rows[] = {
      {"the URL", url, "valid"},
      {"the bare digits", digits, "valid"},
      {"the URL upper-cased by a camera", upper, "valid"},
      {"the URL with a trailing newline", url + "\n", "valid"},
      {"a signature byte changed", altered(1), "forged"},
      {"signed by an unpublished key", foreign, "forged"},
      {"a genuine signature on an unissued id", unissued, "unknown"},
      {"truncated by one digit", digits.substr(0, digits.size() - 1), "malformed"},
      {"truncated to half", digits.substr(0, digits.size() / 2), "malformed"},
      {"http instead of https", "http" + url.substr(5), "malformed"},
      {"another path", "https://trace.example.gov.cn/x/" + digits, "malformed"},
      {"letters", "hello, world", "malformed"},
      {"empty", "", "malformed"},
      {"8000 digits", std::string(8000, '7'), "malformed"},
      {"a NUL byte",
       std::string("123\0"
                   "45",
                   6),
       "malformed"},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(verdict_for(f, r.text) == r.expected);
  }
  auto metrics = f.metrics();
  CHECK(metrics.find("coldtrace_verifications_total{verdict=\"malformed\"} 8") !=
        std::string::npos);
}

TEST_CASE("a verification needs the code parameter", "[server][api]") {
  api_fixture f;
  auto r = f.get("/api/v1/verify");
  CHECK(r.status == 400);
  CHECK(r.error_code() == "bad_value");
}
