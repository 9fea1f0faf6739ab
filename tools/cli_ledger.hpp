// What the ledger's commands share: opening the database, days and weights as text, and
// files that hold a secret (a bearer token).
#pragma once

#include "codec/keys.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tools/cli.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace coldtrace::cli {

// The ledger on `file`, or on the PostgreSQL database a postgresql:// URI names. With `must_exist`,
// a missing file ends the program (status 2) with a hint to run db init, rather than creating an
// empty database by accident.
std::unique_ptr<storage::sqlite_ledger> open_ledger(const std::string& file, bool must_exist,
                                                    std::shared_ptr<codec::signing_key> key = {});

// The exit status for an error the ledger returned: 2 when the input was wrong (as for a
// usage error), 1 when a rule refused it or the record does not exist.
int exit_status(const error& e);

// The value of a ledger call, or its message and the end of the program with exit_status.
template <class T>
T ledger_or_exit(result<T> r) {
  const int status = r ? 0 : exit_status(r.error());
  return or_exit(std::move(r), status);
}

// db backup, db restore (cli_backup.cpp), on the db command.
void add_backup_commands(CLI::App& db);
// db copy (cli_copy.cpp): a whole ledger into another database, SQLite or PostgreSQL.
void add_copy_command(CLI::App& db);

// This second, as the ledger records times.
storage::time_point now();
storage::time_point day_start(std::uint32_t day);
// Says what is wrong with the command line and exits with status 2.
[[noreturn]] void usage_error(const std::string& message);

// An export's --from/--to (YYYY-MM-DD, both days included) as [start, end): by default the
// 30 days up to today. A bad day or a period backwards is a usage error.
std::pair<storage::time_point, storage::time_point> export_period(const std::string& from,
                                                                  const std::string& to);
std::string day_text(storage::time_point t);  // YYYY-MM-DD
std::string kg(std::int64_t grams);           // "12.500"

// A file that will hold a secret, readable by its owner only (mode 0600) from the moment it
// exists. Open it before changing anything, write it once the secret exists: if write() never
// succeeds, the file opened is removed again, so a failed command leaves nothing behind.
class secret_file {
 public:
  // Refuses an existing file.
  static result<secret_file> create_new(const std::filesystem::path& path);
  // Writes beside `path` and renames over it, so an existing file is either kept whole (when
  // the command fails) or replaced whole.
  static result<secret_file> replace(const std::filesystem::path& path);

  // Writes `text` and a newline, and syncs it to disk: the secret is as durable as the record.
  result<void> write(std::string_view text);

  secret_file(secret_file&& other) noexcept;
  secret_file& operator=(secret_file&&) = delete;
  ~secret_file();

 private:
  secret_file(std::filesystem::path file, int fd, std::filesystem::path target);
  std::filesystem::path file_;    // the file opened
  std::filesystem::path target_;  // where it ends: file_ itself, or renamed there by write()
  int fd_ = -1;
  bool written_ = false;
};

}  // namespace coldtrace::cli
