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

TEST_CASE("changing any field of any event names that event", "[storage]") {
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

TEST_CASE("removing an event from the middle or the end is named", "[storage]") {
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
