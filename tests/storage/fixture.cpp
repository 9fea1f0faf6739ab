#include "tests/storage/fixture.hpp"

#include "storage/postgres_ledger.hpp"
#include "storage/sqlite/db.hpp"

namespace coldtrace::storage::test {
namespace {

struct close_db {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using db_ptr = std::unique_ptr<sqlite3, close_db>;

db_ptr open_raw(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  db_ptr p{db};
  sqlite3_busy_timeout(db, 5000);
  return p;
}

// PostgreSQL: every table's rows as PostgreSQL writes a row as text, in a fixed order.
std::string pg_snapshot(const std::string& uri) {
  auto c = sql::connection::open_postgres(uri);
  std::vector<std::string> tables;
  auto q = c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  while (q.step()) tables.push_back(q.text(0));
  std::string out;
  for (const auto& t : tables) {
    out += "## " + t + "\n";
    auto rows = c.query("SELECT r::text FROM " + t + " r ORDER BY 1");
    while (rows.step()) out += rows.text(0) + "\n";
  }
  return out;
}

}  // namespace

bool testing_postgres() {
  const char* b = std::getenv("COLDTRACE_TEST_BACKEND");
  return b && std::string_view{b} == "postgres";
}

fixture::fixture(std::size_t max_batch, bool with_key)
    : file(dir.path / "ledger.db"),
      max_batch_(max_batch),
      now_(time_point{std::chrono::seconds{1709251200}}) {  // 2024-03-01 00:00 UTC
  if (testing_postgres()) {
    REQUIRE(pg_cluster());
    pg.emplace();
    file = pg->uri;
  }
  if (with_key) {
    key = std::make_shared<codec::signing_key>(codec::signing_key::generate().value());
    keys.add(key->public_part());
  }
  reopen();
  bureau_unit = add_unit("11310100MB0000000", "上海市市场监督管理局", unit_kind::regulator);
  warehouse_unit =
      add_unit("91310115MA1H00001", "上海浦东进口冷链食品集中监管仓", unit_kind::warehouse);
  warehouse2_unit = add_unit("91310112MA1H00002", "上海闵行冷链集中监管仓", unit_kind::warehouse);
  wholesaler_unit =
      add_unit("91310107MA1H00003", "上海江桥果品批发市场经营管理有限公司", unit_kind::seller);
  shop_unit = add_unit("92310104MA1H00004", "徐汇区天平路生鲜超市", unit_kind::seller);
  canteen_unit = add_unit("12310000MB1H00005", "上海市第一中学食堂", unit_kind::caterer);
  admin = add_account(bureau_unit, account_role::admin, "王建国");
  inspector = add_account(bureau_unit, account_role::inspector, "李敏");
  warehouse = add_account(warehouse_unit, account_role::warehouse, "张伟");
  warehouse2 = add_account(warehouse2_unit, account_role::warehouse, "赵磊");
  wholesaler = add_account(wholesaler_unit, account_role::unit_operator, "陈芳");
  shop = add_account(shop_unit, account_role::unit_operator, "刘洋", &shop_token);
  canteen = add_account(canteen_unit, account_role::unit_operator, "周静");
}

fixture::~fixture() {
  if (ledger) ledger->close();
}

void fixture::reopen() {
  if (ledger) ledger->close();
  ledger.reset();
  if (pg) {
    postgres_options p;
    p.uri = pg->uri;
    p.signing_key = key;
    p.max_batch = max_batch_;
    ledger = must(open_postgres_ledger(p));
    return;
  }
  sqlite_options o;
  o.file = file;
  o.signing_key = key;
  o.max_batch = max_batch_;
  o.snapshot_reuse = snapshot_reuse;
  ledger = must(sqlite_ledger::open(o));
}

unit_id fixture::add_unit(std::string_view first17, std::string name, unit_kind kind) {
  unit_request r{with_check_character(first17), std::move(name), kind, "上海市"};
  return must(ledger->register_unit(as(actor::local_admin()), r)).id;
}

actor fixture::add_account(unit_id unit, account_role role, std::string name, std::string* token) {
  auto t = must(ledger->create_account(as(actor::local_admin()), {unit, role, std::move(name)}));
  if (token) *token = t.token;
  return actor{t.account.id, t.account.unit, t.account.role};
}

intake_request fixture::import_request(std::string category, std::int64_t grams) const {
  intake_request r;
  r.product = "智利车厘子 JJ级";
  r.category = std::move(category);
  r.origin = r.category == "domestic_frozen" ? "CN" : "CL";
  r.net_weight_g = grams;
  r.packages = 200;
  r.consignor = "上海鲜丰进出口有限公司";
  if (r.category != "domestic_frozen") {
    r.customs_number = "220120241000123456";
    r.quarantine_certificate = "310000124000321";
  }
  r.vehicle = "沪A·D1234 / MSKU1234567";
  return r;
}

intake_result fixture::intake(std::string category, std::int64_t grams) {
  return must(ledger->intake(as(warehouse), import_request(std::move(category), grams)));
}

void fixture::clear_for_release(lot_id lot) {
  auto s = must(ledger->add_sample(as(warehouse), {lot, sample_type::food_surface, now_, "张伟"}));
  must(ledger->record_result(
      as(warehouse), {s.id, test_outcome::negative, "上海市疾控中心", "HS2024-0001", now_}));
  must(ledger->record_disinfection(as(warehouse), {lot, "过氧乙酸 0.2%", now_, "张伟", "XD-0001"}));
}

intake_result fixture::released_lot(std::string category, std::int64_t grams) {
  auto in = intake(std::move(category), grams);
  clear_for_release(in.lot.id);
  in.lot = must(ledger->release(as(warehouse), in.lot.id));
  return in;
}

code_record fixture::hand_over(code_id code, const actor& from, const actor& to,
                               std::int64_t grams) {
  auto child = must(ledger->dispatch(as(from), {code, to.unit, grams}));
  return must(ledger->receive(as(to), child.id));
}

std::string fixture::snapshot() const {
  if (pg) return pg_snapshot(pg->uri);
  auto db = open_raw(file);
  std::string out;
  std::vector<std::string> tables;
  {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db.get(),
                       "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &s,
                       nullptr);
    while (sqlite3_step(s) == SQLITE_ROW)
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
  }
  for (const auto& t : tables) {
    out += "## " + t + "\n";
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db.get(), ("SELECT * FROM " + t + " ORDER BY 1, 2").c_str(), -1, &s,
                       nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        if (sqlite3_column_type(s, i) == SQLITE_BLOB) {
          const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, i));
          out += to_hex({p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))});
        } else if (sqlite3_column_type(s, i) == SQLITE_NULL) {
          out += "NULL";
        } else {
          out += reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        }
        out += '|';
      }
      out += '\n';
    }
    sqlite3_finalize(s);
  }
  return out;
}

void fixture::exec(const std::string& sql) const {
  exec_on(file, sql);
}

void exec_on(const std::filesystem::path& file, const std::string& sql) {
  if (is_postgres(file.string())) {
    sql::connection::open_postgres(file.string()).exec(sql);
    return;
  }
  auto db = open_raw(file);
  sqlite3_exec(db.get(), "PRAGMA synchronous = OFF", nullptr, nullptr, nullptr);  // test speed
  char* message = nullptr;
  if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string m = message ? message : "?";
    sqlite3_free(message);
    FAIL(sql + ": " + m);
  }
}

std::int64_t fixture::scalar(const std::string& sql) const {
  return scalar_on(file, sql);
}

std::int64_t scalar_on(const std::filesystem::path& file, const std::string& sql) {
  if (is_postgres(file.string())) {
    auto c = sql::connection::open_postgres(file.string());
    auto q = c.query(sql);
    return q.step() ? q.int64(0) : -1;
  }
  auto db = open_raw(file);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &s, nullptr);
  std::int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  return v;
}

std::string fixture::text(const std::string& sql) const {
  if (pg) {
    auto c = sql::connection::open_postgres(pg->uri);
    auto q = c.query(sql);
    return q.step() && !q.is_null(0) ? q.text(0) : std::string{};
  }
  auto db = open_raw(file);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &s, nullptr);
  std::string v;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
    v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  return v;
}

}  // namespace coldtrace::storage::test
