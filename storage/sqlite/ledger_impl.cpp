#include "storage/sqlite/ledger_impl.hpp"

#include "storage/postgres_ledger.hpp"

#include "storage/sqlite/audit.hpp"
#include "storage/sqlite/idempotency.hpp"
#include "storage/sqlite/ops.hpp"
#include "storage/sqlite/replay.hpp"
#include "storage/sqlite/schema.hpp"

namespace coldtrace::storage {

result<std::unique_ptr<sqlite_ledger>> sqlite_ledger::open(sqlite_options options) {
  try {
    auto c = sql::connection::open(options.file, sql::connection::access::read_write,
                                   options.busy_timeout_ms);
    if (sql::current_version(c) > sql::latest_version())
      return fail(errc::schema_too_new, options.file.string() + " has schema version " +
                                            std::to_string(sql::current_version(c)) +
                                            "; this coldtrace knows up to " +
                                            std::to_string(sql::latest_version()));
    sql::migrate(c);
    return std::unique_ptr<sqlite_ledger>{new sql::ledger_impl(std::move(options), std::move(c))};
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

result<int> migrate_database(const std::filesystem::path& file) {
  try {
    auto c = sql::connection::open(file, sql::connection::access::read_write, 5000);
    if (sql::current_version(c) > sql::latest_version())
      return fail(errc::schema_too_new, file.string() + " was written by a newer coldtrace");
    return sql::migrate(c);
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

result<chain_report> verify_audit_chain(const std::filesystem::path& file) {
  try {
    std::optional<sql::connection> opened;
    if (is_postgres(file.string())) {
      opened.emplace(sql::connection::open_postgres(file.string()));
      auto has = opened->query("SELECT to_regclass('events') IS NOT NULL");
      if (!has.step() || has.int64(0) == 0)
        return fail(errc::not_found, printable_db(file.string()) + " is not a coldtrace database");
      // One snapshot for the chain and the state: writes by the servers go on meanwhile.
      opened->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    } else {
      if (!std::filesystem::exists(file))
        return fail(errc::not_found, "no database at " + file.string());
      opened.emplace(sql::connection::open(file, sql::connection::access::read_only, 5000));
      if (sql::current_version(*opened) < 1)
        return fail(errc::not_found, file.string() + " is not a coldtrace database");
    }
    auto& c = *opened;
    sql::transaction snapshot{c};
    auto report = sql::verify_chain(c);
    if (report.first_bad) return report;  // a broken chain proves nothing to replay
    auto state = sql::verify_state(c);
    report.state_checked = true;
    report.rows = state.rows;
    report.unproven = state.unproven;
    report.state_problem = std::move(state.problem);
    return report;
  } catch (const std::exception& e) {
    return fail(errc::storage_failure, e.what());
  }
}

namespace sql {

ledger_impl::ledger_impl(sqlite_options options, connection write_connection)
    : ledger_impl(options, std::move(write_connection),
                  [file = options.file, timeout = options.busy_timeout_ms] {
                    return connection::open(file, connection::access::read_only, timeout);
                  }) {}

ledger_impl::ledger_impl(sqlite_options options, connection write_connection,
                         std::function<connection()> open_reader)
    : options_(std::move(options)),
      readers_(std::move(open_reader), options_.snapshot_reuse),
      wal_(write_connection.handle(),
           {[this] { readers_.committed(); }, [this](bool on) { readers_.hold(on); }},
           {options_.checkpoint_pages, options_.checkpoint_wait, options_.busy_timeout_ms}),
      key_(options_.signing_key),
      shared_database_(write_connection.is_postgres()) {
  writer_ = std::make_unique<writer>(
      std::move(write_connection), options_.max_batch,
      writer::background{[this] { return counts_pending(); },
                         [this](connection& c) { flush_counts(c); },
                         [this] { readers_.committed(); },
                         [this](bool idle) { idle ? wal_.when_idle() : wal_.after_batch(); }});
}

ledger_impl::~ledger_impl() {
  close();
}

void ledger_impl::close() {
  writer_->close();
}

void ledger_impl::set_signing_key(std::shared_ptr<const codec::signing_key> key) {
  std::lock_guard lock{key_mutex_};
  key_ = std::move(key);
}

std::shared_ptr<const codec::signing_key> ledger_impl::key() const {
  std::lock_guard lock{key_mutex_};
  return key_;
}

// ---- writes: each one a job for the writer ---------------------------------------------

void ledger_impl::async_register_unit(const context& c, unit_request r,
                                      completion<unit_record> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::register_unit(db, c, r); });
}

void ledger_impl::async_create_account(const context& c, account_request r,
                                       completion<issued_token> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::create_account(db, c, r); });
}

void ledger_impl::async_rotate_token(const context& c, account_id a,
                                     completion<issued_token> done) {
  submit(std::move(done), [c, a](connection& db) { return ops::rotate_token(db, c, a); });
}

void ledger_impl::async_revoke_token(const context& c, account_id a,
                                     completion<account_record> done) {
  submit(std::move(done), [c, a](connection& db) { return ops::revoke_token(db, c, a); });
}

void ledger_impl::async_intake(const context& c, intake_request r, completion<intake_result> done) {
  submit(std::move(done), [this, c, r = std::move(r)](connection& db) {
    return once<intake_result>(
        db, c, "intake", [&] { return ops::intake(db, c, r, key().get()); },
        [](const intake_result& x) { return saved(x); },
        [&](const std::string& s) { return replay_intake(db, s); });
  });
}

void ledger_impl::async_add_sample(const context& c, sample_request r,
                                   completion<sample_record> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::add_sample(db, c, r); });
}

void ledger_impl::async_record_result(const context& c, result_request r,
                                      completion<sample_record> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::record_result(db, c, r); });
}

void ledger_impl::async_record_disinfection(const context& c, disinfection_request r,
                                            completion<disinfection_record> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::record_disinfection(db, c, r); });
}

void ledger_impl::async_release(const context& c, lot_id lot, completion<lot_record> done) {
  submit(std::move(done), [c, lot](connection& db) { return ops::release(db, c, lot); });
}

void ledger_impl::async_dispatch(const context& c, dispatch_request r,
                                 completion<code_record> done) {
  submit(std::move(done), [this, c, r](connection& db) {
    return once<code_record>(
        db, c, "dispatch", [&] { return ops::dispatch(db, c, r, key().get()); },
        [](const code_record& x) { return saved(x); },
        [&](const std::string& s) { return replay_code(db, s); });
  });
}

void ledger_impl::async_receive(const context& c, code_id code, completion<code_record> done) {
  submit(std::move(done), [c, code](connection& db) {
    return once<code_record>(
        db, c, "receive", [&] { return ops::receive(db, c, code); },
        [](const code_record& x) { return saved(x); },
        [&](const std::string& s) { return replay_code(db, s); });
  });
}

void ledger_impl::async_sale_check(const context& c, sale_check_request r,
                                   completion<sale_check_result> done) {
  submit(std::move(done), [c, r = std::move(r)](connection& db) {
    return once<sale_check_result>(
        db, c, "sale_check", [&] { return ops::sale_check(db, c, r); },
        [](const sale_check_result& x) { return saved(x); },
        [](const std::string& s) { return replay_sale_check(s); });
  });
}

void ledger_impl::async_batch(const context& c, batch_request r, completion<batch_result> done) {
  submit(std::move(done),
         [this, c, r = std::move(r)](connection& db) { return ops::batch(db, c, r, key().get()); });
}

void ledger_impl::async_recall(const context& c, recall_request r, completion<recall_result> done) {
  submit(std::move(done), [c, r = std::move(r)](connection& db) { return ops::recall(db, c, r); });
}

void ledger_impl::async_record_inspection(const context& c, inspection_request r,
                                          completion<inspection_record> done) {
  submit(std::move(done),
         [c, r = std::move(r)](connection& db) { return ops::record_inspection(db, c, r); });
}

// ---- verification counters -------------------------------------------------------------

void ledger_impl::count_scan(time_point at, scan_kind kind, verdict v,
                             std::optional<code_id> code) {
  const auto day = std::chrono::floor<std::chrono::days>(at).time_since_epoch().count();
  std::lock_guard lock{counts_mutex_};
  ++counts_.scans[{day, kind, v}];
  if (code) ++counts_.codes[{day, kind, *code}];
}

bool ledger_impl::counts_pending() const {
  std::lock_guard lock{counts_mutex_};
  return !counts_.scans.empty();
}

void ledger_impl::flush_counts(connection& c) {
  decltype(counts_) taken;
  {
    std::lock_guard lock{counts_mutex_};
    std::swap(taken, counts_);
  }
  ops::add_scan_counts(c, taken);
}

}  // namespace sql
}  // namespace coldtrace::storage
