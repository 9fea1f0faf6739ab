#include "server/log.hpp"

#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace coldtrace::server {
namespace {

// RFC 3339 in UTC with milliseconds: 2024-05-01T08:30:00.123Z. The part up to the seconds
// is formatted once per second and thread.
void append_timestamp(std::string& out) {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  thread_local std::time_t cached_secs = -1;
  thread_local char cached[64];  // "2024-05-01T08:30:00.", roomy for any int the compiler imagines
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_secs = secs;
  }
  out += cached;
  char digits[4] = {static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                    static_cast<char>('0' + ms % 10), 'Z'};
  out.append(digits, sizeof digits);
}

std::string timestamp() {
  std::string out;
  append_timestamp(out);
  return out;
}

// A JSON string literal. Bytes from 0x80 up pass through as they are, as Boost.JSON's
// serializer passes them.
void append_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void append_number(std::string& out, auto v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc{} ? end : buf);
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

logger::logger(sink s, std::size_t buffer_bytes)
    : sink_(s ? std::move(s) : sink(write_stderr)), limit_(buffer_bytes) {
  pending_.reserve(limit_);
}

logger::~logger() {
  flush();
}

void logger::write(std::string_view line, bool now) {
  std::lock_guard lock(mutex_);
  if (!now && pending_.size() + line.size() <= limit_) {
    pending_ += line;
    return;
  }
  if (!pending_.empty()) {
    pending_ += line;
    sink_(pending_);
    pending_.clear();
  } else {
    sink_(line);
  }
}

void logger::flush() {
  std::lock_guard lock(mutex_);
  if (pending_.empty()) return;
  sink_(pending_);
  pending_.clear();
}

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
  write(text, level != "info");
}

void logger::info(std::string_view event, const boost::json::object& fields) {
  emit("info", event, fields);
}

void logger::error(std::string_view event, const boost::json::object& fields) {
  emit("error", event, fields);
}

void logger::info_line(std::string_view line) {
  write(line, false);
}

void format_access(std::string& out, const access_entry& entry) {
  out += R"({"ts":")";
  append_timestamp(out);
  out += R"(","level":"info","event":"request","method":)";
  append_string(out, to_string(entry.method));
  out += R"(,"route":)";
  append_string(out, entry.route.empty() ? std::string_view("unmatched") : entry.route);
  out += R"(,"status":)";
  append_number(out, entry.status);
  // Microsecond resolution is plenty and keeps the lines short.
  out += R"(,"duration_ms":)";
  append_number(out, std::round(entry.duration_ms * 1000) / 1000);
  if (!entry.unit.empty()) {
    out += R"(,"unit":)";
    append_string(out, entry.unit);
  }
  if (!entry.detail.empty()) {
    out += R"(,"error":)";
    append_string(out, entry.detail);
  }
  out += "}\n";
}

}  // namespace coldtrace::server
