// What the ledger's commands share: opening the database, days and weights as text.
#pragma once

#include "codec/keys.hpp"
#include "storage/sqlite_ledger.hpp"
#include "tools/cli.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace coldtrace::cli {

// The ledger on `file`. With `must_exist`, a missing file ends the program (status 2) with a
// hint to run db init, rather than creating an empty database by accident.
std::unique_ptr<storage::sqlite_ledger> open_ledger(const std::string& file, bool must_exist,
                                                    std::shared_ptr<codec::signing_key> key = {});

// This second, as the ledger records times.
storage::time_point now();
storage::time_point day_start(std::uint32_t day);
std::string day_text(storage::time_point t);  // YYYY-MM-DD
std::string kg(std::int64_t grams);           // "12.500"

}  // namespace coldtrace::cli
