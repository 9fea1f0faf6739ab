// A fresh ledger in a temporary directory, with the cast of a small city: the bureau (admin,
// inspector), a supervision warehouse, a wholesaler, a shop and a canteen, each with an
// account. Every operation through as() happens a minute after the previous one.
//
// The backend comes from the environment: COLDTRACE_TEST_BACKEND=postgres puts the ledger in a
// fresh database of the test cluster (pg_support.hpp), anything else on a SQLite file. The
// ctest entry test_storage:pg runs every test case not tagged [sqlite] so (the same cases,
// not a copy); [sqlite] marks those about SQLite's file itself (WAL, crash, file backup).
#pragma once

#include "codec/code.hpp"
#include "storage/demo.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tests/storage/pg_support.hpp"
#include "tests/support.hpp"

#include <sqlite3.h>

namespace coldtrace::storage::test {

using namespace std::chrono_literals;
using coldtrace::test::temp_dir;

// Fails the test, with the error's message, unless `r` holds a value.
template <class T>
T must(result<T> r) {
  if (!r) FAIL(r.error().message);
  return std::move(*r);
}

// Checks that `r` failed with `code`, showing the message either way.
#define CHECK_ERRC(r, errc_value)                                                \
  do {                                                                           \
    auto&& r_ = (r);                                                             \
    INFO((r_ ? std::string("succeeded") : r_.error().message));                  \
    REQUIRE_FALSE(r_);                                                           \
    CHECK(r_.error().code == ::coldtrace::storage::make_error_code(errc_value)); \
  } while (0)

// True when this run's fixture puts the ledger on PostgreSQL (COLDTRACE_TEST_BACKEND).
bool testing_postgres();

// Runs SQL on the database file through a connection of its own (to tamper, for instance).
void exec_on(const std::filesystem::path& file, const std::string& sql);
std::int64_t scalar_on(const std::filesystem::path& file, const std::string& sql);

class fixture {
 public:
  explicit fixture(std::size_t max_batch = 512, bool with_key = true);
  ~fixture();

  // Another ledger over the same file (after close()), e.g. to check what survived.
  void reopen();

  context as(const actor& a) {
    now_ += 60s;
    return {a, now_};
  }
  time_point now() const { return now_; }

  intake_result intake(std::string category = "imported_fruit", std::int64_t grams = 1'000'000);
  intake_request import_request(std::string category = "imported_fruit",
                                std::int64_t grams = 1'000'000) const;
  // Sample, negative result, disinfection, release.
  void clear_for_release(lot_id lot);
  intake_result released_lot(std::string category = "imported_fruit",
                             std::int64_t grams = 1'000'000);
  // Dispatch from `code` (held by `from`) to `to`, and receive there.
  code_record hand_over(code_id code, const actor& from, const actor& to, std::int64_t grams);

  bool on_postgres() const { return pg.has_value(); }

  // Every row of every table, as text: equal snapshots mean nothing changed.
  std::string snapshot() const;
  // Runs one SQL statement on a separate connection (for tampering).
  void exec(const std::string& sql) const;
  std::int64_t scalar(const std::string& sql) const;
  std::string text(const std::string& sql) const;

  temp_dir dir;
  std::optional<pg_database> pg;  // on PostgreSQL
  // The SQLite file, or on PostgreSQL the database's URI (what --db takes).
  std::filesystem::path file;
  std::chrono::milliseconds snapshot_reuse = sqlite_options{}.snapshot_reuse;  // for reopen()
  std::shared_ptr<codec::signing_key> key;
  codec::key_set keys;
  std::unique_ptr<sqlite_ledger> ledger;

  actor admin, inspector, warehouse, warehouse2, wholesaler, shop, canteen;
  unit_id bureau_unit = 0, warehouse_unit = 0, warehouse2_unit = 0, wholesaler_unit = 0,
          shop_unit = 0, canteen_unit = 0;
  std::string shop_token;

 private:
  unit_id add_unit(std::string_view first17, std::string name, unit_kind kind);
  actor add_account(unit_id unit, account_role role, std::string name, std::string* token = {});

  std::size_t max_batch_;
  time_point now_;
};

}  // namespace coldtrace::storage::test
