// Backup and restore through SQLite's online backup API (storage/backup.hpp).
#include "storage/backup.hpp"

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite_ledger.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <thread>

namespace coldtrace::storage {
namespace {

namespace fs = std::filesystem;
using handle = std::unique_ptr<sqlite3, sql::close_db>;

handle open_raw(const fs::path& file, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  handle h{raw};
  if (rc != SQLITE_OK) sql::throw_failure(raw, rc, "opening " + file.string());
  sqlite3_extended_result_codes(raw, 1);
  return h;
}

void exec(sqlite3* db, const char* text) {
  if (int rc = sqlite3_exec(db, text, nullptr, nullptr, nullptr); rc != SQLITE_OK)
    sql::throw_failure(db, rc, text);
}

// Copies `from` into `to` a step at a time; answers the pages and steps it took. A busy or
// locked step (a checkpoint holding the source for a moment) is retried after the pause.
std::pair<std::int64_t, std::int64_t> copy_pages(sqlite3* to, sqlite3* from, int per_step,
                                                 std::chrono::milliseconds pause) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) sql::throw_failure(to, sqlite3_errcode(to), "starting the backup");
  std::int64_t steps = 0;
  int rc = SQLITE_OK;
  while (true) {
    rc = sqlite3_backup_step(b, per_step);
    ++steps;
    if (rc == SQLITE_DONE) break;
    const int primary = rc & 0xff;
    if (primary != SQLITE_OK && primary != SQLITE_BUSY && primary != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(pause);
  }
  const std::int64_t pages = sqlite3_backup_pagecount(b);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) sql::throw_failure(to, rc, "copying the database");
  return {pages, steps};
}

// Makes a rename in `dir` durable.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::exists(a) && fs::exists(b) && fs::equivalent(a, b, ec);
}

}  // namespace

result<backup_report> backup_database(const fs::path& db, const fs::path& copy, backup_options o) {
  if (!fs::exists(db)) return fail(errc::not_found, "no database at " + db.string());
  if (same_file(db, copy))
    return fail(errc::invalid_input, "the copy must be another file than the database");
  if (fs::exists(copy) && !o.replace)
    return fail(errc::invalid_input, copy.string() + " already exists; give --force to replace it");
  fs::path partial = copy;
  partial += ".partial";
  try {
    auto source = sql::connection::open(db, sql::connection::access::read_only, 5000);
    if (sql::current_version(source) < 1)
      return fail(errc::not_found, db.string() + " is not a coldtrace database");
    // One snapshot for the whole copy; the first read fixes it.
    sql::transaction snapshot{source};
    backup_report report;
    if (auto q = source.query("SELECT seq FROM chain_head WHERE id = 1"); q.step())
      report.head = q.int64(0);
    fs::remove(partial);
    {
      auto target = open_raw(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      exec(target.get(), "PRAGMA synchronous = FULL");
      std::tie(report.pages, report.steps) =
          copy_pages(target.get(), source.handle(), o.pages_per_step, o.pause);
      // The source's WAL mode came with its first page: one file is easier to keep.
      exec(target.get(), "PRAGMA journal_mode = DELETE");
    }
    snapshot.commit();
    fs::rename(partial, copy);
    sync_directory(copy.parent_path());
    return report;
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    return fail(errc::storage_failure, "backup failed: " + std::string(e.what()));
  }
}

result<restore_report> restore_database(const fs::path& copy, const fs::path& db, bool replace) {
  if (!fs::exists(copy)) return fail(errc::not_found, "no backup at " + copy.string());
  if (same_file(db, copy))
    return fail(errc::invalid_input, "the backup and the database are the same file");
  auto checked = verify_audit_chain(copy);
  if (!checked) return checked.error();
  if (checked->first_bad)
    return fail(errc::invalid_input, "the backup's audit chain is broken: " + checked->problem +
                                         "; nothing was restored");
  if (!checked->state_problem.empty())
    return fail(errc::invalid_input, "the backup's state differs from its events: " +
                                         checked->state_problem + "; nothing was restored");
  const bool existed = fs::exists(db);
  if (existed && !replace)
    return fail(errc::invalid_input,
                db.string() + " already exists; give --force to replace it with the backup");
  try {
    auto target = open_raw(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // Held until the end: no server can open the database half restored. Any connection
    // open elsewhere holds a shared lock, so the exclusive one fails at once.
    exec(target.get(), "PRAGMA locking_mode = EXCLUSIVE");
    if (int rc = sqlite3_exec(target.get(), "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr);
        rc != SQLITE_OK) {
      if ((rc & 0xff) == SQLITE_BUSY)
        return fail(errc::invalid_input, db.string() +
                                             " is in use (is coldtrace serve running on it?);"
                                             " stop it before restoring");
      sql::throw_failure(target.get(), rc, "locking " + db.string());
    }
    exec(target.get(), "COMMIT");
    exec(target.get(), "PRAGMA synchronous = FULL");
    auto source = open_raw(copy, SQLITE_OPEN_READONLY);
    copy_pages(target.get(), source.get(), -1, std::chrono::milliseconds{0});
    return restore_report{checked->events, checked->rows};
  } catch (const std::exception& e) {
    std::error_code ignored;
    if (!existed) fs::remove(db, ignored);
    return fail(errc::storage_failure, "restore failed: " + std::string(e.what()));
  }
}

}  // namespace coldtrace::storage
