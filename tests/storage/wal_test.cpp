// The write-ahead log stays bounded under continuous reads and writes: the checkpoints
// complete although some reader is always busy, and the WAL file is reused from its start.
// Catch2 is not thread-safe: threads only collect results, the test thread asserts.
#include "tests/storage/fixture.hpp"

#include <atomic>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

constexpr std::uintmax_t mib = 1024 * 1024;

std::uintmax_t wal_bytes(const std::filesystem::path& db) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(db.string() + "-wal", ec);
  return ec ? 0 : n;
}

struct load_report {
  std::uintmax_t max_wal = 0;
  std::uintmax_t last_wal = 0;
  std::int64_t writes = 0, write_failures = 0, reads = 0, read_failures = 0;
  std::string first_failure;
  commit_stats stats;
};

// What a server under traffic does: each request authenticates (a read) and then queues its
// write; `readers` threads verify codes and authenticate at the same time, without a pause.
load_report sustained_load(fixture& f, std::chrono::milliseconds length, int readers) {
  auto root = f.released_lot("domestic_frozen", 1'000'000'000);
  auto at_shop = f.hand_over(root.code.id, f.warehouse, f.shop, 100'000'000);
  auto held = f.intake();
  const auto now = f.now();

  std::atomic<bool> done{false};
  std::atomic<std::int64_t> writes{0}, write_failures{0}, reads{0}, read_failures{0};
  std::string first_failure;  // the writer thread's alone until it is joined
  std::thread writer([&] {
    for (int i = 0; !done; ++i) {
      if (!f.ledger->authenticate(f.shop_token)) ++read_failures;
      std::optional<error> failed;
      auto note = [&](const auto& r) {
        if (!r) failed = r.error();
      };
      switch (i % 3) {
        case 0:
          note(f.ledger->add_sample({f.warehouse, now},
                                    {held.lot.id, sample_type::food_surface, now, "采样员"}));
          break;
        case 1:
          note(f.ledger->sale_check({f.shop, now}, {at_shop.signed_code, f.shop_unit, 1}));
          break;
        default:
          // A code has at most 255 children: disinfections take over from the dispatches.
          if (i < 3 * 200)
            note(f.ledger->dispatch({f.warehouse, now}, {root.code.id, f.wholesaler_unit, 1}));
          else
            note(f.ledger->record_disinfection(
                {f.warehouse, now}, {held.lot.id, "过氧乙酸 0.2%", now, "张伟", "XD-1"}));
      }
      if (failed && first_failure.empty())
        first_failure = failed->code.message() + ": " + failed->message;
      const bool ok = !failed;
      ++(ok ? writes : write_failures);
    }
  });
  std::vector<std::thread> pool;
  for (int t = 0; t < readers; ++t) {
    pool.emplace_back([&] {
      while (!done) {
        const auto v = f.ledger->verify(root.code.signed_code);
        const auto a = f.ledger->authenticate(f.shop_token);
        ++(v && a ? reads : read_failures);
      }
    });
  }
  load_report r;
  const auto end = std::chrono::steady_clock::now() + length;
  while (std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r.last_wal = wal_bytes(f.file);
    r.max_wal = std::max(r.max_wal, r.last_wal);
  }
  done = true;
  writer.join();
  for (auto& t : pool) t.join();
  r.writes = writes;
  r.write_failures = write_failures;
  r.reads = reads;
  r.read_failures = read_failures;
  r.first_failure = first_failure;
  r.stats = f.ledger->writer_stats();
  return r;
}

void check_bounded(const load_report& r, std::int64_t min_writes) {
  INFO("writes " << r.writes << ", reads " << r.reads << ", largest WAL " << r.max_wal
                 << " bytes, last " << r.last_wal << "; checkpoints " << r.stats.checkpoints
                 << ", busy " << r.stats.checkpoints_busy << ", batches " << r.stats.batches
                 << "; first failure: " << r.first_failure);
  CHECK(r.write_failures == 0);
  CHECK(r.read_failures == 0);
  // Enough traffic that an unchecked WAL would pass the bound several times over.
  CHECK(r.writes >= min_writes);
  CHECK(r.max_wal <= 4 * mib);
  CHECK(r.stats.checkpoints > 0);  // what /metrics shows
}

}  // namespace

TEST_CASE("the WAL stays a few MB under continuous reads and writes", "[storage][sqlite]") {
  fixture f;
  check_bounded(sustained_load(f, std::chrono::milliseconds(4000), 3), 200);
}

TEST_CASE("a read that holds the WAL back delays its checkpoint only while it lasts",
          "[storage][sqlite]") {
  fixture f;
  auto held = f.intake();
  const auto now = f.now();
  auto sample = [&] {
    must(f.ledger->add_sample({f.warehouse, now},
                              {held.lot.id, sample_type::food_surface, now, "采样员"}));
  };
  // A long read by another process (a report, a backup): no frame written after its snapshot
  // began may be copied into the database until it ends, so the WAL has to grow meanwhile.
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(f.file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "BEGIN; SELECT count(*) FROM lots;", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  for (int i = 0; i < 20'000 && wal_bytes(f.file) <= 6 * mib; ++i) sample();
  const auto grown = wal_bytes(f.file);
  sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close_v2(raw);
  CHECK(grown > 6 * mib);
  // Traffic goes on, and the file is cut back to the bound once the read is over.
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  std::uintmax_t after = grown;
  while (std::chrono::steady_clock::now() < end && (after = wal_bytes(f.file)) > 4 * mib) sample();
  INFO("WAL " << grown << " bytes while the read lasted");
  CHECK(after <= 4 * mib);
}

TEST_CASE("at rest, the WAL file is emptied", "[storage][sqlite]") {
  fixture f;
  auto in = f.released_lot();
  for (int i = 0; i < 20; ++i) {
    must(f.ledger->dispatch(f.as(f.warehouse), {in.code.id, f.wholesaler_unit, 1000}));
    CHECK(must(f.ledger->verify(in.code.signed_code)).verdict == verdict::valid);
  }
  CHECK(wal_bytes(f.file) > 0);
  // The writer checks about once a second when it has nothing to do.
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < end && wal_bytes(f.file) > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(wal_bytes(f.file) == 0);
  // And the ledger goes on as before.
  must(f.ledger->dispatch(f.as(f.warehouse), {in.code.id, f.wholesaler_unit, 1000}));
  CHECK(must(f.ledger->verify(in.code.signed_code)).verdict == verdict::valid);
}

TEST_CASE("the WAL stays a few MB under a long sustained load", "[storage][sqlite][.slow]") {
  fixture f;
  check_bounded(sustained_load(f, std::chrono::seconds(30), 6), 2000);
}
