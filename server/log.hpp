// JSON-lines logging: one object per line, "ts" first, so `jq` and log shippers read it.
// The access log names the route pattern, never the raw path (it holds codes) and never a
// header (one holds the bearer token).
#pragma once

#include "server/http.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <mutex>
#include <string_view>

namespace coldtrace::server {

class logger {
 public:
  using sink = std::function<void(std::string_view line)>;  // a line, '\n' included

  explicit logger(sink s = {});  // no sink: stderr

  // Each writes {"ts", "level", "event", ...fields} as one line. Thread-safe; lines from
  // several threads never interleave.
  void info(std::string_view event, const boost::json::object& fields = {});
  void error(std::string_view event, const boost::json::object& fields = {});

 private:
  void emit(std::string_view level, std::string_view event, const boost::json::object& fields);

  sink sink_;
  std::mutex mutex_;
};

struct access_entry {
  verb method = verb::other;
  std::string_view route;  // the pattern; empty (logged "unmatched") when none matched
  unsigned status = 0;
  double duration_ms = 0;
  std::string_view unit;    // empty when the handler set none
  std::string_view detail;  // the reason of a 5xx, for operators only
};

void log_access(logger& log, const access_entry& entry);

}  // namespace coldtrace::server
