#include "server/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace coldtrace::server {
namespace {

bool valid_name(std::string_view name) {
  auto head = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto tail = [&](char c) { return head(c) || (c >= '0' && c <= '9'); };
  return !name.empty() && head(name.front()) && std::all_of(name.begin() + 1, name.end(), tail);
}

// Label values and help text may hold any UTF-8; these three would break the line format.
std::string escape(std::string_view s, bool quotes) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_labels(const metric_labels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!valid_name(name) || name.starts_with("__") || name == "le") {
      throw std::invalid_argument("invalid metric label name: " + name);
    }
    if (!out.empty()) out += ',';
    out += name + "=\"" + escape(value, true) + "\"";
  }
  return out;
}

std::string number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

std::string braces(const std::string& labels, const std::string& extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  if (labels.empty()) return "{" + extra + "}";
  if (extra.empty()) return "{" + labels + "}";
  return "{" + labels + "," + extra + "}";
}

}  // namespace

histogram::histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end())) {
    throw std::invalid_argument("histogram bounds must ascend");
  }
}

void histogram::observe(double v) noexcept {
  auto i = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) -
                                    bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

histogram::snapshot histogram::read() const {
  snapshot s;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

metrics_registry::series& metrics_registry::find_or_add(std::string_view name,
                                                        std::string_view help, kind type,
                                                        const metric_labels& labels,
                                                        std::span<const double> bounds) {
  if (!valid_name(name)) throw std::invalid_argument("invalid metric name: " + std::string(name));
  auto key = render_labels(labels);
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), family{type, std::string(help), {}}).first;
  } else if (it->second.type != type) {
    throw std::invalid_argument("metric " + std::string(name) + " already has another type");
  }
  auto& s = it->second.by_labels[key];
  if (type == kind::counter && !s.c) s.c = std::make_unique<server::counter>();
  if (type == kind::gauge && !s.g) s.g = std::make_unique<server::gauge>();
  if (type == kind::histogram && !s.h) {
    s.h = std::make_unique<server::histogram>(std::vector(bounds.begin(), bounds.end()));
  }
  return s;
}

server::counter& metrics_registry::counter(std::string_view name, std::string_view help,
                                           const metric_labels& labels) {
  return *find_or_add(name, help, kind::counter, labels, {}).c;
}

server::gauge& metrics_registry::gauge(std::string_view name, std::string_view help,
                                       const metric_labels& labels) {
  return *find_or_add(name, help, kind::gauge, labels, {}).g;
}

server::histogram& metrics_registry::histogram(std::string_view name, std::string_view help,
                                               std::span<const double> bounds,
                                               const metric_labels& labels) {
  return *find_or_add(name, help, kind::histogram, labels, bounds).h;
}

void metrics_registry::on_render(std::function<void()> fn) {
  std::lock_guard lock(mutex_);
  before_render_.push_back(std::move(fn));
}

std::string metrics_registry::render() const {
  static constexpr std::string_view type_names[] = {"counter", "gauge", "histogram"};
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(mutex_);
    hooks = before_render_;
  }
  for (const auto& h : hooks) h();
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + escape(f.help, false) + "\n";
    out += "# TYPE " + name + " " + std::string(type_names[static_cast<int>(f.type)]) + "\n";
    for (const auto& [labels, s] : f.by_labels) {
      if (s.c) out += name + braces(labels) + " " + std::to_string(s.c->value()) + "\n";
      if (s.g) out += name + braces(labels) + " " + std::to_string(s.g->value()) + "\n";
      if (!s.h) continue;
      auto snap = s.h->read();
      const auto& bounds = s.h->bounds();
      for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
        auto le = i < bounds.size() ? number(bounds[i]) : std::string("+Inf");
        out += name + "_bucket" + braces(labels, "le=\"" + le + "\"") + " " +
               std::to_string(snap.cumulative[i]) + "\n";
      }
      out += name + "_sum" + braces(labels) + " " + number(snap.sum) + "\n";
      out += name + "_count" + braces(labels) + " " + std::to_string(snap.cumulative.back()) + "\n";
    }
  }
  return out;
}

}  // namespace coldtrace::server
