// db backup and db restore as an operator runs them (tools/cli_backup.cpp, compiled in) on a
// ledger that keeps writing in another thread: the copy holds every write acknowledged before
// the backup began, its audit chain verifies, and a restore refuses what would lose data.
#include "storage/backup.hpp"
#include "tests/storage/fixture.hpp"
#include "tools/cli.hpp"
#include "tools/cli_ledger.hpp"

#include <atomic>
#include <thread>

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

// The command's exit status: 0 unless it threw cli_exit.
int run(std::vector<std::string> args) {
  CLI::App app;
  cli::add_db_commands(app);
  std::vector<const char*> argv{"coldtrace"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cli::cli_exit& e) {
    return e.status;
  } catch (const CLI::ParseError&) {
    return 2;
  }
  return 0;
}

// Intakes lot after lot in its own thread until stopped; `acked` is the last lot whose
// intake was acknowledged (durable).
struct write_load {
  fixture& f;
  std::atomic<lot_id> acked{0};
  std::atomic<bool> stop{false};
  std::thread thread{[this] {
    const context at{f.warehouse, f.now()};
    while (!stop) {
      auto r = f.ledger->intake(at, f.import_request());
      if (r) acked = r->lot.id;
    }
  }};
  explicit write_load(fixture& fx) : f(fx) {}
  ~write_load() {
    stop = true;
    thread.join();
  }
  void wait_for(lot_id n) const {
    while (acked < n) std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }
};

bool has_lot(const std::filesystem::path& db, lot_id id) {
  auto l = sqlite_ledger::open({db, nullptr});
  return l && (*l)->get_lot(actor::local_admin(), id).has_value();
}

}  // namespace

TEST_CASE("a backup under write load holds every acknowledged write and verifies",
          "[storage][sqlite][backup]") {
  fixture f;
  const auto copy = f.dir.path / "nightly.db";
  lot_id before = 0, during = 0;
  backup_report report;
  {
    write_load load{f};
    load.wait_for(20);
    before = load.acked;
    // A page a step with a pause: the copy takes many steps while the writes go on.
    report = must(backup_database(f.file, copy, {1, std::chrono::milliseconds{1}, false}));
    during = load.acked;
  }
  INFO("acknowledged before the backup: " << before << ", by its end: " << during);
  CHECK(report.steps > 10);
  CHECK(during > before);  // the service kept committing while the copy was made
  CHECK(has_lot(copy, before));
  const auto chain = must(verify_audit_chain(copy));
  CHECK(chain.intact());
  CHECK(chain.events == report.head);
  // One self-contained file: no WAL beside it.
  CHECK_FALSE(std::filesystem::exists(copy.string() + "-wal"));

  // The CLI the same way, still under load; an existing copy is kept unless --force.
  {
    write_load load{f};
    load.wait_for(during + 5);
    const auto acked = load.acked.load();
    const auto cli_copy = (f.dir.path / "cli.db").string();
    CHECK(run({"db", "backup", "--db", f.file.string(), "--to", cli_copy}) == 0);
    CHECK(has_lot(cli_copy, acked));
    CHECK(run({"db", "backup", "--db", f.file.string(), "--to", cli_copy}) == 2);
    CHECK(run({"db", "backup", "--db", f.file.string(), "--to", cli_copy, "--force"}) == 0);
    CHECK(run({"db", "backup", "--db", f.file.string(), "--to", f.file.string()}) == 2);
    CHECK(run({"audit", "verify", "--db", cli_copy}) == 0);
  }
}

TEST_CASE("restore verifies the copy first and never replaces a database in use",
          "[storage][sqlite][backup]") {
  fixture f;
  const auto in = f.intake();
  const auto copy = (f.dir.path / "copy.db").string();
  const auto db = f.file.string();
  REQUIRE(run({"db", "backup", "--db", db, "--to", copy}) == 0);
  const auto later = f.intake();  // after the backup: a restore takes it away

  // The ledger has the file open: refused even with --force, and nothing changed.
  const auto before = f.snapshot();
  CHECK(run({"db", "restore", "--from", copy, "--db", db, "--force"}) == 2);
  CHECK(f.snapshot() == before);

  // A new file: created and verifying; an existing one only with --force.
  const auto restored = (f.dir.path / "restored.db").string();
  CHECK(run({"db", "restore", "--from", copy, "--db", restored}) == 0);
  CHECK(run({"audit", "verify", "--db", restored}) == 0);
  CHECK(has_lot(restored, in.lot.id));
  CHECK_FALSE(has_lot(restored, later.lot.id));
  CHECK(run({"db", "restore", "--from", copy, "--db", restored}) == 2);
  CHECK(run({"db", "restore", "--from", copy, "--db", restored, "--force"}) == 0);

  // The service stopped: the live database goes back to the copy, and opens and writes again.
  f.ledger->close();
  f.ledger.reset();
  CHECK(run({"db", "restore", "--from", copy, "--db", db, "--force"}) == 0);
  CHECK(run({"audit", "verify", "--db", db}) == 0);
  f.reopen();
  CHECK(f.ledger->get_lot(actor::local_admin(), in.lot.id).has_value());
  CHECK_FALSE(f.ledger->get_lot(actor::local_admin(), later.lot.id).has_value());
  must(f.ledger->intake(f.as(f.warehouse), f.import_request()));
  CHECK(must(f.ledger->verify_chain()).intact());

  // A copy whose chain does not verify is refused before anything is touched.
  const auto bad = f.dir.path / "bad.db";
  std::filesystem::copy_file(copy, bad);
  exec_on(bad, "UPDATE events SET subject = 'lot:999' WHERE seq = 3");
  const auto fresh = f.dir.path / "fresh.db";
  CHECK(run({"db", "restore", "--from", bad.string(), "--db", fresh.string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(fresh));
  CHECK(run({"db", "restore", "--from", (f.dir.path / "none.db").string(), "--db",
             fresh.string()}) == 1);
}
