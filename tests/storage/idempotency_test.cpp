// Idempotency keys: the key and the write it guards commit together, so a retry after a lost
// answer — even across a restart — answers with the first write and writes nothing (issue 9
// §5: a kill -9 run left writes committed but never acknowledged).
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

context keyed(context c, std::string key, std::string fingerprint = "request-1") {
  c.once = idempotency{std::move(key), std::move(fingerprint)};
  return c;
}

}  // namespace

TEST_CASE("an intake retried with its key after a reopen answers with the first lot", "[storage]") {
  fixture f;
  const auto at = keyed(f.as(f.warehouse), "intake-7");
  const auto first = must(f.ledger->intake(at, f.import_request()));
  const auto lots = f.scalar("SELECT count(*) FROM lots");
  const auto events = f.scalar("SELECT count(*) FROM events");
  // The answer was lost; the server restarted; the client sends the same request again.
  f.reopen();
  const auto again = must(f.ledger->intake(at, f.import_request()));
  CHECK(again.lot.id == first.lot.id);
  CHECK(again.code.id == first.code.id);
  CHECK(again.code.signed_code == first.code.signed_code);
  CHECK(f.scalar("SELECT count(*) FROM lots") == lots);
  CHECK(f.scalar("SELECT count(*) FROM events") == events);
  CHECK(f.scalar("SELECT count(*) FROM idempotency_keys") == 1);
  CHECK(must(f.ledger->verify_chain()).intact());
}

TEST_CASE("a key and its write commit together, or neither does", "[storage]") {
  fixture f;
  auto in = f.released_lot();
  SECTION("a refused write stores no key: the retry runs again") {
    const auto at = keyed(f.as(f.warehouse), "d-1");
    CHECK_ERRC(f.ledger->dispatch(at, {in.code.id, f.shop_unit, 2'000'000}),
               errc::insufficient_quantity);
    CHECK(f.scalar("SELECT count(*) FROM idempotency_keys") == 0);
    const auto child = must(f.ledger->dispatch(at, {in.code.id, f.shop_unit, 1'000}));
    CHECK(f.scalar("SELECT count(*) FROM idempotency_keys") == 1);
    CHECK(must(f.ledger->dispatch(at, {in.code.id, f.shop_unit, 1'000})).id == child.id);
    CHECK(f.scalar("SELECT count(*) FROM codes WHERE parent_id = " + std::to_string(in.code.id)) ==
          1);
  }
  SECTION("a key with another request is refused and writes nothing") {
    const auto at = keyed(f.as(f.warehouse), "d-2");
    must(f.ledger->dispatch(at, {in.code.id, f.shop_unit, 1'000}));
    const auto before = f.snapshot();
    CHECK_ERRC(f.ledger->dispatch(keyed(at, "d-2", "request-2"), {in.code.id, f.shop_unit, 500}),
               errc::key_reused);
    CHECK(f.snapshot() == before);
  }
  SECTION("keys are per account") {
    const auto child =
        must(f.ledger->dispatch(keyed(f.as(f.warehouse), "k"), {in.code.id, f.shop_unit, 1'000}));
    const auto received = must(f.ledger->receive(keyed(f.as(f.shop), "k"), child.id));
    CHECK(received.status == code_status::active);
  }
  SECTION("a sale check answers with its first verdict, sale and remainder") {
    const auto held = f.hand_over(in.code.id, f.warehouse, f.shop, 10'000);
    const auto at = keyed(f.as(f.shop), "sale-1");
    const auto first = must(f.ledger->sale_check(at, {held.signed_code, f.shop_unit, 400}));
    REQUIRE(first.sale);
    const auto again = must(f.ledger->sale_check(at, {held.signed_code, f.shop_unit, 400}));
    CHECK(again.sale == first.sale);
    CHECK(again.remaining_g == first.remaining_g);
    CHECK(again.verdict == first.verdict);
    CHECK(again.code == first.code);
    CHECK(f.scalar("SELECT count(*) FROM sales") == 1);
    CHECK(f.scalar("SELECT remaining_g FROM codes WHERE id = " + std::to_string(held.id)) == 9'600);
  }
  SECTION("a key older than the window is a new request") {
    const auto at = keyed(f.as(f.warehouse), "old");
    const auto child = must(f.ledger->dispatch(at, {in.code.id, f.shop_unit, 1'000}));
    auto later = at;
    later.at += std::chrono::hours{25};
    CHECK(must(f.ledger->dispatch(later, {in.code.id, f.shop_unit, 1'000})).id != child.id);
    // The old key was forgotten when the new one was stored.
    CHECK(f.scalar("SELECT count(*) FROM idempotency_keys") == 1);
  }
}
