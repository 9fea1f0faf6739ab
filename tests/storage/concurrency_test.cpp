// Many threads against one code: quantities stay exact whatever the interleaving, and the
// writer commits them in groups. Catch2 is not thread-safe: threads only collect results,
// the test thread asserts.
#include "tests/storage/fixture.hpp"

#include <atomic>
#include <random>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

struct attempt {
  std::int64_t grams = 0;
  bool ok = false;
  boost::system::error_code code;
};

}  // namespace

TEST_CASE("concurrent dispatches from one code never exceed it; totals balance", "[storage]") {
  fixture f;
  constexpr std::int64_t total = 150'000;
  auto in = f.released_lot("domestic_frozen", total);
  constexpr int threads = 8, per_thread = 30;  // 240 attempts of ~1 kg: about 150 fit

  std::vector<std::vector<attempt>> seen(threads);
  std::atomic<int> verify_failures{0};
  std::atomic<bool> done{false};
  // A reader verifying the whole time: readers never wait for (or fail because of) the writer.
  std::thread reader([&] {
    while (!done) {
      auto v = f.ledger->verify(in.code.signed_code);
      if (!v || (v->verdict != verdict::valid && v->verdict != verdict::exhausted))
        ++verify_failures;
    }
  });
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      std::uniform_int_distribution<std::int64_t> grams(500, 1500);
      for (int i = 0; i < per_thread; ++i) {
        attempt a;
        a.grams = grams(rng);
        auto r = f.ledger->dispatch({f.warehouse, f.now()}, {in.code.id, f.shop_unit, a.grams});
        a.ok = r.has_value();
        if (!r) a.code = r.error().code;
        seen[static_cast<std::size_t>(t)].push_back(a);
      }
    });
  }
  for (auto& th : pool) th.join();
  done = true;
  reader.join();

  std::int64_t dispatched = 0, successes = 0;
  for (const auto& v : seen)
    for (const auto& a : v) {
      if (a.ok) {
        dispatched += a.grams;
        ++successes;
      } else {
        CHECK(a.code == make_error_code(errc::insufficient_quantity));
      }
    }
  const auto root = must(f.ledger->get_code(f.warehouse, in.code.id));
  CHECK(successes > 0);
  CHECK(dispatched + root.remaining_g == total);
  CHECK(root.children == successes);
  CHECK(f.scalar("SELECT sum(quantity_g) FROM codes WHERE parent_id = " +
                 std::to_string(in.code.id)) == dispatched);
  CHECK(root.remaining_g < 1500);  // it ran dry: the last attempts were refused
  CHECK(verify_failures == 0);
  CHECK(f.ledger->writer_stats().max_batch > 1);
  CHECK(must(f.ledger->verify_chain()).intact());
}

TEST_CASE("concurrent sales from one code never sell more than it holds", "[storage]") {
  fixture f;
  auto in = f.released_lot("imported_fruit", 100'000);
  auto code = f.hand_over(in.code.id, f.warehouse, f.shop, 5'000);
  constexpr int threads = 6, per_thread = 20;  // 120 sales of 100 g against 5 kg: 50 fit
  std::vector<std::vector<std::pair<bool, verdict>>> seen(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto r = f.ledger->sale_check({f.shop, f.now()}, {code.signed_code, f.shop_unit, 100});
        seen[static_cast<std::size_t>(t)].emplace_back(r && r->sale.has_value(),
                                                       r ? r->verdict : verdict::unknown);
      }
    });
  for (auto& th : pool) th.join();
  int sold = 0, exhausted = 0;
  for (const auto& v : seen)
    for (const auto& [ok, verdict] : v) {
      if (ok) ++sold;
      if (verdict == verdict::exhausted) ++exhausted;
    }
  CHECK(sold == 50);
  CHECK(exhausted == threads * per_thread - 50);
  CHECK(must(f.ledger->get_code(f.shop, code.id)).remaining_g == 0);
  CHECK(f.scalar("SELECT sum(quantity_g) FROM sales") == 5'000);
}

TEST_CASE("one failing operation in a batch does not fail its neighbours", "[storage]") {
  fixture f;
  auto in = f.released_lot("imported_fruit", 1'000'000);
  // Queue many operations at once so that they share batches; every other one breaks a rule.
  constexpr int n = 200;
  std::vector<std::future<result<code_record>>> pending;
  for (int i = 0; i < n; ++i) {
    auto promise = std::make_shared<std::promise<result<code_record>>>();
    pending.push_back(promise->get_future());
    const std::int64_t grams = i % 2 ? 2'000'000 : 1'000;  // odd ones ask for too much
    f.ledger->async_dispatch(
        {f.warehouse, f.now()}, {in.code.id, f.shop_unit, grams},
        [promise](result<code_record> r) { promise->set_value(std::move(r)); });
  }
  int ok = 0, refused = 0;
  for (auto& p : pending) {
    auto r = p.get();
    if (r)
      ++ok;
    else if (r.error().code == make_error_code(errc::insufficient_quantity))
      ++refused;
  }
  CHECK(ok == n / 2);
  CHECK(refused == n / 2);
  CHECK(must(f.ledger->get_code(f.warehouse, in.code.id)).remaining_g == 1'000'000 - 1'000 * n / 2);
  const auto stats = f.ledger->writer_stats();
  CHECK(stats.max_batch > 1);
  CHECK(stats.batches < stats.operations);
}

TEST_CASE("writes after close are refused, and what was queued is committed", "[storage]") {
  fixture f;
  auto in = f.released_lot();
  std::promise<result<code_record>> promise;
  auto future = promise.get_future();
  f.ledger->async_dispatch({f.warehouse, f.now()}, {in.code.id, f.shop_unit, 1'000},
                           [&](result<code_record> r) { promise.set_value(std::move(r)); });
  f.ledger->close();
  CHECK(future.get());
  CHECK_ERRC(f.ledger->dispatch(f.as(f.warehouse), {in.code.id, f.shop_unit, 1'000}),
             errc::shutting_down);
  f.reopen();
  CHECK(must(f.ledger->get_code(f.warehouse, in.code.id)).children == 1);
}
