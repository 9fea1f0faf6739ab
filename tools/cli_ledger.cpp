#include "tools/cli_ledger.hpp"

#include "codec/day.hpp"

#include <cstdio>

namespace coldtrace::cli {

std::unique_ptr<storage::sqlite_ledger> open_ledger(const std::string& file, bool must_exist,
                                                    std::shared_ptr<codec::signing_key> key) {
  if (must_exist && !std::filesystem::exists(file)) {
    std::cerr << "coldtrace: no database at " << file << " (create one with: coldtrace db init)\n";
    throw cli_exit{2};
  }
  return or_exit(storage::sqlite_ledger::open({file, std::move(key)}), 2);
}

storage::time_point now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

storage::time_point day_start(std::uint32_t day) {
  return storage::time_point{std::chrono::days{day}};
}

std::string day_text(storage::time_point t) {
  return codec::format_day(static_cast<std::uint32_t>(
      std::chrono::floor<std::chrono::days>(t).time_since_epoch().count()));
}

std::string kg(std::int64_t grams) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(grams) / 1000.0);
  return buf;
}

}  // namespace coldtrace::cli
