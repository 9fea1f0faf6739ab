#include "server/log.hpp"

#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace coldtrace::server {
namespace {

// RFC 3339 in UTC with milliseconds: 2024-05-01T08:30:00.123Z.
std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // roomy enough for any int the compiler imagines in the fields
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void write_stderr(std::string_view line) {
  while (!line.empty()) {
    auto n = ::write(STDERR_FILENO, line.data(), line.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere left to report a failing log
    line.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

logger::logger(sink s) : sink_(s ? std::move(s) : sink(write_stderr)) {}

void logger::emit(std::string_view level, std::string_view event,
                  const boost::json::object& fields) {
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["ts"] = timestamp();
  line["level"] = level;
  line["event"] = event;
  for (const auto& f : fields) line[f.key()] = f.value();
  auto text = boost::json::serialize(line);
  text += '\n';
  std::lock_guard lock(mutex_);
  sink_(text);
}

void logger::info(std::string_view event, const boost::json::object& fields) {
  emit("info", event, fields);
}

void logger::error(std::string_view event, const boost::json::object& fields) {
  emit("error", event, fields);
}

void log_access(logger& log, const access_entry& entry) {
  boost::json::object fields{
      {"method", to_string(entry.method)},
      {"route", entry.route.empty() ? std::string_view("unmatched") : entry.route},
      {"status", entry.status},
      // Microsecond resolution is plenty and keeps the lines short.
      {"duration_ms", std::round(entry.duration_ms * 1000) / 1000},
  };
  if (!entry.unit.empty()) fields["unit"] = entry.unit;
  if (!entry.detail.empty()) fields["error"] = entry.detail;
  log.info("request", fields);
}

}  // namespace coldtrace::server
