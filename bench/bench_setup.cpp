#include "bench/bench_setup.hpp"

#include "storage/demo.hpp"

#include <sqlite3.h>

#include <future>

namespace coldtrace::bench {

cast make_cast(storage::ledger& l, storage::time_point at) {
  using storage::account_role;
  using storage::unit_kind;
  const storage::context root{actor::local_admin(), at};
  auto unit = [&](const char* first17, const char* name, unit_kind kind, account_role role) {
    auto u =
        must(l.register_unit(root, {storage::with_check_character(first17), name, kind, "上海市"}),
             "register unit");
    auto a = must(l.create_account(root, {u.id, role, "bench"}), "create account");
    return actor{a.account.id, u.id, role};
  };
  cast c;
  c.admin =
      unit("11310000MB2C12345", "上海市市场监督管理局", unit_kind::regulator, account_role::admin);
  c.warehouse = unit("91310115MA1H3K8W5", "上海浦东进口冷链食品集中监管仓", unit_kind::warehouse,
                     account_role::warehouse);
  c.wholesaler = unit("91310114MA1K2L4Q5", "上海江桥果品批发市场经营管理有限公司",
                      unit_kind::seller, account_role::unit_operator);
  c.shop = unit("92310104MA1F6H7Y5", "徐汇区天平路生鲜超市", unit_kind::seller,
                account_role::unit_operator);
  return c;
}

namespace {

template <class T, class Start>
std::vector<T> all_of(std::size_t n, Start&& start, const char* what) {
  std::vector<std::future<result<T>>> pending;
  for (std::size_t i = 0; i < n; ++i) {
    auto p = std::make_shared<std::promise<result<T>>>();
    pending.push_back(p->get_future());
    start(i, [p](result<T> r) { p->set_value(std::move(r)); });
  }
  std::vector<T> out;
  for (auto& f : pending) out.push_back(must(f.get(), what));
  return out;
}

}  // namespace

std::vector<storage::code_record> dispatch_all(storage::ledger& l, const actor& by,
                                               const std::vector<storage::dispatch_request>& r,
                                               storage::time_point at) {
  return all_of<storage::code_record>(
      r.size(),
      [&](std::size_t i, auto done) {
        l.async_dispatch({by, at}, r[i], done);
      },
      "dispatch");
}

void receive_all(storage::ledger& l, const actor& by, const std::vector<storage::code_record>& c,
                 storage::time_point at) {
  all_of<storage::code_record>(
      c.size(),
      [&](std::size_t i, auto done) {
        l.async_receive({by, at}, c[i].id, done);
      },
      "receive");
}

storage::intake_result released_lot(storage::ledger& l, const cast& c, std::int64_t grams,
                                    storage::time_point at) {
  storage::intake_request r;
  r.product = "冷冻白羽鸡翅中";
  r.category = "domestic_frozen";
  r.origin = "CN";
  r.net_weight_g = grams;
  r.packages = 1000;
  r.consignor = "山东凤祥股份有限公司";
  r.vehicle = "沪B·7F261";
  const storage::context ctx{c.warehouse, at};
  auto in = must(l.intake(ctx, r), "intake");
  auto s = must(l.add_sample(ctx, {in.lot.id, storage::sample_type::food_surface, at, "何军"}),
                "sample");
  must(l.record_result(ctx, {s.id, storage::test_outcome::negative, "CDC", "R1", at}), "result");
  must(l.record_disinfection(ctx, {in.lot.id, "过氧乙酸", at, "马超", "XS-1"}), "disinfection");
  in.lot = must(l.release(ctx, in.lot.id), "release");
  return in;
}

void add_filler_codes(const std::filesystem::path& db, std::int64_t codes,
                      storage::unit_id holder) {
  sqlite3* raw = nullptr;
  sqlite3_open(db.c_str(), &raw);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> c{raw, &sqlite3_close_v2};
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "storage_bench: %s: %s\n", sql, sqlite3_errmsg(raw));
      std::exit(1);
    }
  };
  exec("PRAGMA synchronous = OFF");
  exec("BEGIN");
  sqlite3_stmt* lot = nullptr;
  sqlite3_stmt* code = nullptr;
  sqlite3_prepare_v2(
      raw,
      "INSERT INTO lots (warehouse_id, product, category, origin, net_weight_g,"
      " packages, consignor, customs_number, quarantine_certificate, vehicle,"
      " intake_at, status, released_at) VALUES (?1, '冷冻猪后腿肉', 'domestic_frozen',"
      " 'CN', 1000000, 100, '河南双汇冷鲜肉类有限公司', '', '', '沪B·7F261', 1717200000,"
      " 'released', 1717200000)",
      -1, &lot, nullptr);
  sqlite3_prepare_v2(raw,
                     "INSERT INTO codes (lot_id, parent_id, split_path, holder_id, quantity_g,"
                     " remaining_g, children, status, issued_at, received_at, signed)"
                     " VALUES (?1, ?2, ?3, ?4, 10000, 10000, 0, 'active', 1717200000, 1717200000,"
                     " randomblob(150))",
                     -1, &code, nullptr);
  // Each filler lot: a root and 99 codes two levels down (9 children with 10 each, roughly).
  for (std::int64_t made = 0; made < codes;) {
    sqlite3_bind_int64(lot, 1, holder);
    sqlite3_step(lot);
    sqlite3_reset(lot);
    const auto lot_id = sqlite3_last_insert_rowid(raw);
    std::int64_t root = 0, middle = 0;
    for (int i = 0; i < 100 && made < codes; ++i, ++made) {
      std::uint8_t path[2] = {static_cast<std::uint8_t>(1 + (i - 1) / 11),
                              static_cast<std::uint8_t>((i - 1) % 11)};
      const int depth = i == 0 ? 0 : path[1] == 0 ? 1 : 2;
      sqlite3_bind_int64(code, 1, lot_id);
      if (depth == 0)
        sqlite3_bind_null(code, 2);
      else
        sqlite3_bind_int64(code, 2, depth == 1 ? root : middle);
      sqlite3_bind_blob(code, 3, path, depth, SQLITE_TRANSIENT);
      sqlite3_bind_int64(code, 4, holder);
      sqlite3_step(code);
      sqlite3_reset(code);
      if (depth == 0) root = sqlite3_last_insert_rowid(raw);
      if (depth == 1) middle = sqlite3_last_insert_rowid(raw);
    }
  }
  sqlite3_finalize(lot);
  sqlite3_finalize(code);
  exec("COMMIT");
}

}  // namespace coldtrace::bench
