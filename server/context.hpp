// What a handler gets besides the request: its path parameters, the metrics registry, and
// fields it fills in for the access log. A handler's own dependencies (the ledger, the keys)
// are captured when it is registered, not carried here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coldtrace::server {

class metrics_registry;

// Path parameters by name, e.g. {"digits", "1234..."} for the pattern "/c/{digits}".
class path_params {
 public:
  void add(std::string name, std::string value) {
    values_.emplace_back(std::move(name), std::move(value));
  }
  std::optional<std::string_view> find(std::string_view name) const {
    for (const auto& [n, v] : values_) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
  // For a name the route pattern guarantees: an empty view if it is absent.
  std::string_view operator[](std::string_view name) const { return find(name).value_or(""); }
  void clear() { values_.clear(); }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

struct context {
  explicit context(metrics_registry& m) : metrics(m) {}

  metrics_registry& metrics;
  path_params params;
  std::string route;   // the pattern that matched, never the raw path (codes stay out of logs)
  std::string unit;    // the unit the caller acts for, set by the handler for the access log
  std::string detail;  // why a 5xx happened, for the log only; never sent to the client
};

}  // namespace coldtrace::server
