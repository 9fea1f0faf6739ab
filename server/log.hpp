// JSON-lines logging: one object per line, "ts" first, so `jq` and log shippers read it.
// The access log names the route pattern, never the raw path (it holds codes) and never a
// header (one holds the bearer token).
#pragma once

#include "server/http.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace coldtrace::server {

class logger {
 public:
  // Receives one or more whole lines, each ending in '\n'. Never called concurrently.
  using sink = std::function<void(std::string_view lines)>;

  // No sink: stderr. With a buffer, info lines wait in memory until it holds `buffer_bytes`
  // or flush() is called (the server flushes a few times a second); an error line flushes
  // at once, and so does the destructor. 0: every line goes out as it is written.
  explicit logger(sink s = {}, std::size_t buffer_bytes = 0);
  ~logger();
  logger(const logger&) = delete;
  logger& operator=(const logger&) = delete;

  // Each writes {"ts", "level", "event", ...fields} as one line. Thread-safe; lines from
  // several threads never interleave.
  void info(std::string_view event, const boost::json::object& fields = {});
  void error(std::string_view event, const boost::json::object& fields = {});
  // A line already formatted (by format_access below), '\n' included.
  void info_line(std::string_view line);

  void flush();

 private:
  void emit(std::string_view level, std::string_view event, const boost::json::object& fields);
  void write(std::string_view line, bool now);

  sink sink_;
  std::size_t limit_;
  std::mutex mutex_;
  std::string pending_;
};

struct access_entry {
  verb method = verb::other;
  std::string_view route;  // the pattern; empty (logged "unmatched") when none matched
  unsigned status = 0;
  double duration_ms = 0;
  std::string_view unit;    // empty when the handler set none
  std::string_view detail;  // the reason of a 5xx, for operators only
};

// The access line {"ts","level":"info","event":"request","method","route","status",
// "duration_ms"[,"unit"][,"error"]}, appended to `out`. Formatted by hand: it is written for
// every request.
void format_access(std::string& out, const access_entry& entry);

}  // namespace coldtrace::server
