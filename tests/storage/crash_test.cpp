// A child process doing acknowledged writes is killed with SIGKILL at random moments; after
// each kill, every acknowledged write is in the database, the database is sound and the audit
// chain verifies. The default run is short; [.slow] runs many more rounds.
#include "tests/storage/fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

// In the child: sell from `code` on several threads and append "sale grams" to `acks` after
// each acknowledgement, until killed. Never returns; uses no Catch2.
[[noreturn]] void sell_until_killed(const fixture& f, bytes code, const std::string& acks) {
  sqlite_options o;
  o.file = f.file;
  o.signing_key = f.key;
  auto opened = sqlite_ledger::open(o);
  if (!opened) _exit(3);
  auto& ledger = **opened;
  const int fd = ::open(acks.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  std::vector<std::thread> sellers;
  for (int t = 0; t < 4; ++t)
    sellers.emplace_back([&, t] {
      for (std::int64_t i = 0;; ++i) {
        const std::int64_t grams = 1 + (i + t) % 3;
        auto r = ledger.sale_check({f.shop, f.now()}, {code, f.shop_unit, grams});
        if (!r || !r->sale) continue;
        // One write(2) per line: O_APPEND keeps lines whole; the page cache outlives us.
        const auto line = std::to_string(*r->sale) + " " + std::to_string(grams) + "\n";
        if (::write(fd, line.data(), line.size()) < 0) _exit(4);
      }
    });
  for (auto& s : sellers) s.join();
  _exit(0);
}

void crash_rounds(int rounds) {
  fixture f;
  auto in = f.released_lot("domestic_frozen", 100'000'000);
  auto code = f.hand_over(in.code.id, f.warehouse, f.shop, 50'000'000);
  f.ledger->close();
  f.ledger.reset();  // no thread of ours may run while we fork
  const std::string acks = (f.dir.path / "acks.txt").string();

  std::random_device seed_source;
  const auto seed = seed_source();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(10, 250);
  std::size_t acknowledged = 0;
  for (int round = 0; round < rounds; ++round) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) sell_until_killed(f, code.signed_code, acks);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));
  }
  f.reopen();

  std::ifstream in_acks(acks);
  std::int64_t sale = 0, grams = 0, sum = 0;
  bool all_present = true;
  while (in_acks >> sale >> grams) {
    ++acknowledged;
    sum += grams;
    if (f.scalar("SELECT quantity_g FROM sales WHERE id = " + std::to_string(sale)) != grams) {
      all_present = false;
      UNSCOPED_INFO("acknowledged sale " << sale << " of " << grams << " g is missing");
    }
  }
  INFO(acknowledged << " acknowledged sales over " << rounds << " kills");
  CHECK(acknowledged > 0);
  CHECK(all_present);
  CHECK(f.text("PRAGMA integrity_check") == "ok");
  CHECK(f.scalar("PRAGMA foreign_key_check") == -1);  // no row: no violation
  // Unacknowledged sales may have committed too (killed between commit and ack); the code's
  // quantity balances against all of them.
  CHECK(f.scalar("SELECT sum(quantity_g) FROM sales") >= sum);
  CHECK(f.scalar("SELECT remaining_g + (SELECT sum(quantity_g) FROM sales) FROM codes WHERE id = " +
                 std::to_string(code.id)) == 50'000'000);
  auto chain = must(f.ledger->verify_chain());
  INFO(chain.problem);
  CHECK(chain.intact());
}

}  // namespace

TEST_CASE("killed at random moments, the ledger keeps every acknowledged write",
          "[storage][sqlite]") {
  crash_rounds(8);
}

TEST_CASE("killed at random moments, many times", "[.slow][storage][sqlite]") {
  crash_rounds(100);
}
