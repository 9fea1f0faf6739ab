// Changing any field of any stored event is detected, and the event is named.
#include "tests/storage/fixture.hpp"

using namespace coldtrace;
using namespace coldtrace::storage;
using namespace coldtrace::storage::test;

namespace {

// A history with every kind of event.
void make_history(fixture& f) {
  auto in = f.released_lot("imported_fruit", 100'000);
  auto w = f.hand_over(in.code.id, f.warehouse, f.wholesaler, 50'000);
  auto s = f.hand_over(w.id, f.wholesaler, f.shop, 10'000);
  must(f.ledger->sale_check(f.as(f.shop), {s.signed_code, f.shop_unit, 1'000}));
  must(f.ledger->record_inspection(f.as(f.inspector), {f.shop_unit, {s.signed_code}, 1, "抽查"}));
  must(f.ledger->recall(f.as(f.admin), {in.lot.id, "阳性"}));
  must(f.ledger->revoke_token(f.as(f.admin), f.canteen.account));
}

chain_report verify_copy(const fixture& f, const std::string& tamper_sql) {
  const auto copy = f.dir.path / "tampered.db";
  std::filesystem::remove(copy);
  std::filesystem::copy_file(f.file, copy);
  exec_on(copy, tamper_sql);
  return must(verify_audit_chain(copy));
}

}  // namespace

TEST_CASE("an untouched chain verifies", "[storage]") {
  fixture f;
  make_history(f);
  auto report = must(f.ledger->verify_chain());
  CHECK(report.intact());
  CHECK(report.events == f.scalar("SELECT count(*) FROM events"));
  CHECK(report.events > 30);
}

TEST_CASE("changing any field of any event names that event", "[storage][sqlite]") {
  fixture f;
  make_history(f);
  const auto events = f.scalar("SELECT count(*) FROM events");
  f.ledger->close();
  f.ledger.reset();  // a consistent file to copy

  // One change per column; each keeps the row valid SQL-wise, as a careful forger would.
  const std::vector<std::pair<std::string, std::string>> changes = {
      {"seq", "seq = seq + 1000000"},
      {"at", "at = at + 1"},
      {"actor_account", "actor_account = actor_account + 1"},
      {"actor_unit", "actor_unit = actor_unit + 1"},
      {"actor_role", "actor_role = CASE actor_role WHEN 'admin' THEN 'inspector' ELSE 'admin' END"},
      {"type", "type = type || '.x'"},
      {"subject", "subject = subject || '0'"},
      {"data", "data = replace(data, '}', ',\"x\":1}')"},
      {"data (whitespace)", "data = data || ' '"},
      {"prev_hash", "prev_hash = randomblob(32)"},
      {"hash", "hash = randomblob(32)"},
  };
  int detected = 0, cases = 0;
  for (std::int64_t seq = 1; seq <= events; ++seq) {
    for (const auto& [column, set] : changes) {
      ++cases;
      const auto report =
          verify_copy(f, "UPDATE events SET " + set + " WHERE seq = " + std::to_string(seq));
      const bool named = report.first_bad == seq &&
                         report.problem.find("event " + std::to_string(seq)) != std::string::npos;
      if (named)
        ++detected;
      else
        UNSCOPED_INFO("event " << seq << ", " << column << ": "
                               << (report.intact() ? "not detected" : report.problem));
    }
  }
  CHECK(detected == cases);
}

TEST_CASE("removing an event from the middle or the end is named", "[storage][sqlite]") {
  fixture f;
  make_history(f);
  const auto events = f.scalar("SELECT count(*) FROM events");
  f.ledger->close();
  f.ledger.reset();
  for (std::int64_t seq : {std::int64_t{1}, events / 2, events}) {
    const auto report = verify_copy(f, "DELETE FROM events WHERE seq = " + std::to_string(seq));
    INFO(report.problem);
    CHECK(report.first_bad == seq);
  }
  const auto report = verify_copy(f, "DELETE FROM chain_head");
  CHECK_FALSE(report.intact());
}

// ---- the state: what the events produce, row by row --------------------------------------

TEST_CASE("an untouched database's state is what its events produce", "[storage]") {
  fixture f;
  make_history(f);
  f.ledger->close();
  f.ledger.reset();
  const auto report = must(verify_audit_chain(f.file));
  INFO(report.state_problem);
  CHECK(report.intact());
  CHECK(report.state_checked);
  CHECK(report.unproven == 0);
  CHECK(report.rows > report.events / 2);
}

TEST_CASE("the demo database's state is what its events produce", "[storage][sqlite]") {
  temp_dir dir;
  sqlite_options o;
  o.file = dir.path / "demo.db";
  o.signing_key = std::make_shared<codec::signing_key>(codec::signing_key::generate().value());
  auto l = must(sqlite_ledger::open(o));
  must(populate_demo(*l, time_point{std::chrono::sys_days{std::chrono::year{2024} / 6 / 1}}));
  l->close();
  l.reset();
  const auto report = must(verify_audit_chain(o.file));
  INFO(report.state_problem);
  CHECK(report.intact());
  CHECK(report.unproven == 0);
  CHECK(report.rows > 300);
}

TEST_CASE("a state table changed with SQL is named by table, row and column", "[storage][sqlite]") {
  fixture f;
  auto held = f.intake();  // a lot still held, so that releasing it by hand is a lie
  make_history(f);
  const auto code = f.scalar("SELECT max(id) FROM codes");
  const auto sale = f.scalar("SELECT max(id) FROM sales");
  const auto sample = f.scalar("SELECT max(sample_id) FROM results");
  const auto account = f.canteen.account;
  f.ledger->close();
  f.ledger.reset();
  const auto lot = std::to_string(held.lot.id);
  struct tamper {
    std::string sql, expected;
  };
  const std::vector<tamper> cases = {
      {"UPDATE lots SET status = 'released' WHERE id = " + lot,
       "lots row " + lot + ": status is released, the events give held"},
      {"UPDATE results SET outcome = 'positive' WHERE sample_id = " + std::to_string(sample),
       "results row " + std::to_string(sample) + ": outcome is positive, the events give negative"},
      {"UPDATE codes SET remaining_g = remaining_g + 1 WHERE id = " + std::to_string(code),
       "codes row " + std::to_string(code) + ": remaining_g is"},
      {"DELETE FROM sales WHERE id = " + std::to_string(sale),
       "sales row " + std::to_string(sale) + " is missing from the database"},
      {"UPDATE sales SET quantity_g = 1 WHERE id = " + std::to_string(sale),
       "sales row " + std::to_string(sale) + ": quantity_g is 1, the events give 1000"},
      {"UPDATE accounts SET token_sha256 = randomblob(32), revoked_at = NULL WHERE id = " +
           std::to_string(account),
       "accounts row " + std::to_string(account) + ": token_sha256 is x'"},
      {"INSERT INTO recalls (lot_id, reason, account_id, recalled_at) VALUES (" + lot +
           ", 'x', 1, 0)",
       "recalls row 2 is in the database, but no event produces it"},
  };
  for (const auto& c : cases) {
    const auto report = verify_copy(f, c.sql);
    INFO(c.sql << "\n-> " << report.state_problem);
    CHECK_FALSE(report.first_bad);  // the chain itself is intact
    CHECK_FALSE(report.intact());
    CHECK(report.state_problem.starts_with(c.expected));
  }
}
