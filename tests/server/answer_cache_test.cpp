// The cache of public answers: exact (every write that changes a code's answer is seen by the
// very next verification, through the API and the /c/ page), bounded, and counted.
#include "server/answer_cache.hpp"
#include "codec/digits.hpp"
#include "server/pages/pages.hpp"
#include "server/router.hpp"
#include "tests/server/api_fixture.hpp"
#include "tests/server/api_world.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace coldtrace;
using namespace coldtrace::server;
using namespace coldtrace::server::test;
using namespace std::chrono_literals;

namespace {

std::int64_t series(const std::string& metrics, std::string_view name, std::string_view answer) {
  const std::string head = std::string(name) + "{answer=\"" + std::string(answer) + "\"} ";
  const auto at = metrics.find(head);
  if (at == std::string::npos) return -1;
  return std::stoll(metrics.substr(at + head.size()));
}

// The lot's whole life, verified through the API (cached: each answer asked twice) and the /c/
// page after each write; the answer must change at once every time.
struct life {
  api_fixture& f;
  world x = make_world(f);
  // The pages on the fixture's ledger, with answers kept until the ledger commits.
  metrics_registry page_metrics;
  router pages;
  app page_app{f.ledger(), f.ring(), std::string(api_fixture::host), {}, {16u << 20, 1h}};
  explicit life(api_fixture& fixture) : f(fixture) {
    pages::install_pages(pages, page_metrics, page_app);
  }

  std::string verdict_of(const storage::code_record& c) {
    const auto target = "/api/v1/verify?code=" + codec::to_digits(c.signed_code);
    const auto hits = series(f.metrics(), "coldtrace_answer_cache_hits_total", "verify");
    auto first = f.get(target);
    auto second = f.get(target);
    REQUIRE(first.status == 200);
    CHECK(first.body == second.body);
    // The second answer came from the cache when the code is ours.
    if (!first.at("facts").is_null())
      CHECK(series(f.metrics(), "coldtrace_answer_cache_hits_total", "verify") > hits);
    return std::string(second.at("verdict").as_string());
  }

  std::string page_of(const storage::code_record& c) {
    request req;
    req.target = "/c/" + codec::to_digits(c.signed_code) + "?lang=en";
    context ctx(page_metrics);
    auto first = pages.dispatch(req, ctx);
    auto second = pages.dispatch(req, ctx);
    CHECK(first.body == second.body);
    return second.body;
  }

  storage::code_record code(storage::code_id id) {
    return f.ledger().get_code(f.admin.who, id).value();
  }
};

}  // namespace

TEST_CASE("a cached answer is kept while the generation stands, and no longer", "[server]") {
  metrics_registry m;
  answer_cache cache(m, "t", {1u << 20, 50ms});
  const answer_cache::stamp made{7, answer_cache::clock::now(), true};
  CHECK_FALSE(cache.find("k", made));
  cache.store("k", made, {verdict::valid, "body", 7});
  CHECK(cache.find("k", made).value().body == "body");
  CHECK(cache.find("k", made).value().verdict == verdict::valid);
  CHECK(cache.find("k", made).value().code == 7);
  auto later = made;
  later.generation = 8;  // a commit in between
  CHECK_FALSE(cache.find("k", later));
  CHECK_FALSE(cache.find("k", made));  // dropped for good
  cache.store("k", made, {verdict::valid, "body", 7});
  auto old = made;
  old.at += 51ms;  // past max_age: a commit by another process may have gone unseen
  CHECK_FALSE(cache.find("k", old));
  // A ledger that cannot say when it changes keeps nothing.
  auto unknown = made;
  unknown.fresh = false;
  cache.store("u", unknown, {verdict::valid, "body", 7});
  CHECK_FALSE(cache.find("u", made));
  const auto text = m.render();
  CHECK(text.find("coldtrace_answer_cache_hits_total{answer=\"t\"} 3") != std::string::npos);
  CHECK(text.find("coldtrace_answer_cache_misses_total{answer=\"t\"} 5") != std::string::npos);
}

TEST_CASE("the answer cache holds at most its bytes, the least recently used going first",
          "[server]") {
  metrics_registry m;
  const std::size_t max_bytes = 64 * 1024;
  answer_cache cache(m, "t", {max_bytes, 1h});
  const answer_cache::stamp made{1, answer_cache::clock::now(), true};
  cache.store("keep", made, {verdict::valid, std::string(500, 'k'), 7});
  for (int i = 0; i < 2000; ++i) {
    cache.store("code" + std::to_string(i), made, {verdict::valid, std::string(500, 'x'), i});
    REQUIRE(cache.find("keep", made));  // used all along: never the least recent
  }
  const auto text = m.render();
  const auto bytes = std::stoll(
      text.substr(text.find("coldtrace_answer_cache_bytes{answer=\"t\"} ") +
                  std::string_view("coldtrace_answer_cache_bytes{answer=\"t\"} ").size()));
  CHECK(bytes > 0);
  CHECK(bytes <= static_cast<std::int64_t>(max_bytes));
  CHECK_FALSE(cache.find("code0", made));
  CHECK(cache.find("code1999", made));
}

TEST_CASE("every write that changes a code's answer is seen by the very next verification",
          "[server][cache]") {
  api_fixture f;
  life t(f);
  auto& l = f.ledger();
  const auto wh = f.as(t.x.wh.who);

  // Intake: not released, no tests yet.
  const auto in = l.intake(wh, {"冻带鱼", "domestic_frozen", "CN", 100'000, 10, "舟山水产", "", "",
                                "浙L·12345"})
                      .value();
  const auto root = in.code;
  CHECK(t.verdict_of(root) == "not_released");
  const auto before_sample = t.page_of(root);

  // A sample, then its result: the public facts change, the verdict not yet.
  const auto sample =
      l.add_sample(wh, {in.lot.id, storage::sample_type::food_surface, wh.at, "张伟"}).value().id;
  CHECK(t.page_of(root) != before_sample);
  const auto api_before_result = f.get("/api/v1/verify?code=" + codec::to_digits(root.signed_code));
  l.record_result(wh, {sample, storage::test_outcome::negative, "疾控", "R-1", wh.at}).value();
  const auto after_result = f.get("/api/v1/verify?code=" + codec::to_digits(root.signed_code));
  CHECK(api_before_result.at("facts").at("samples").at("negative").as_int64() == 0);
  CHECK(after_result.at("facts").at("samples").at("negative").as_int64() == 1);

  // Disinfection, then release: valid.
  l.record_disinfection(wh, {in.lot.id, "过氧乙酸", wh.at, "张伟", "XD-1"}).value();
  CHECK(t.verdict_of(root) == "not_released");
  CHECK(t.page_of(root).find("过氧乙酸") != std::string::npos);
  l.release(wh, in.lot.id).value();
  CHECK(t.verdict_of(root) == "valid");

  // Dispatch to the shop: the child waits for its receipt.
  const auto child_id = l.dispatch(wh, {root.id, t.x.s, 1'000}).value().id;
  const auto child = t.code(child_id);
  CHECK(t.verdict_of(child) == "pending_receipt");
  const auto pending_page = t.page_of(child);
  l.receive(f.as(t.x.op.who), child_id).value();
  CHECK(t.verdict_of(child) == "valid");
  CHECK(t.page_of(child) != pending_page);

  // A sale of all it holds: used up.
  l.sale_check(f.as(t.x.op.who), {child.signed_code, t.x.s, 1'000}).value();
  CHECK(t.verdict_of(child) == "exhausted");

  // A recall blocks the root and every descendant at once.
  CHECK(t.verdict_of(root) == "valid");
  const auto valid_page = t.page_of(root);
  l.recall(f.as(t.x.admin.who), {in.lot.id, "阳性"}).value();
  CHECK(t.verdict_of(root) == "recalled");
  CHECK(t.verdict_of(child) == "recalled");
  CHECK(t.page_of(root) != valid_page);
}

TEST_CASE("a positive result quarantines the lot at the next verification", "[server][cache]") {
  api_fixture f;
  life t(f);
  auto& l = f.ledger();
  const auto wh = f.as(t.x.wh.who);
  const auto held = t.code(l.get_lot(t.x.wh.who, t.x.held).value().lot.root_code);
  CHECK(t.verdict_of(held) == "not_released");
  const auto held_page = t.page_of(held);
  l.record_result(wh, {t.x.sample, storage::test_outcome::positive, "疾控", "R-9", wh.at}).value();
  CHECK(t.verdict_of(held) == "quarantined");
  CHECK(t.page_of(held) != held_page);
}

TEST_CASE("a verification answered from the cache is counted as any other", "[server][cache]") {
  api_fixture f;
  const auto x = make_world(f);
  const auto target = "/api/v1/verify?code=" + x.url_at_s;
  for (int i = 0; i < 5; ++i) REQUIRE(f.get(target).at("verdict").as_string() == "valid");
  const auto m = f.metrics();
  CHECK(series(m, "coldtrace_answer_cache_hits_total", "verify") == 4);
  CHECK(m.find("coldtrace_verifications_total{verdict=\"valid\"} 5") != std::string::npos);
  // And in the ledger's statistics, once a commit has carried the counts in.
  f.add_unit(storage::unit_kind::seller);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto stats = f.ledger().stats(f.admin.who, {now - 24h, now + 24h}).value();
  CHECK(stats.verifications == 5);
}
