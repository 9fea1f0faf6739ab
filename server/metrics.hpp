// A small metrics registry rendered in the Prometheus text format (version 0.0.4). The
// server counts requests and latency here; other code adds its own series (verdict counts,
// commit batch sizes) through the same registry, reached from a handler's context.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coldtrace::server {

// Label names and values in the order they should be printed.
using metric_labels = std::vector<std::pair<std::string, std::string>>;

class counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class gauge {
 public:
  void set(std::int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t d) noexcept { value_.fetch_add(d, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class histogram {
 public:
  explicit histogram(std::vector<double> bounds);  // upper bounds, ascending; +Inf is implied

  void observe(double v) noexcept;

  struct snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (= count)
    double sum = 0;
  };
  snapshot read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, from half a millisecond (a verification) to seconds.
inline constexpr double latency_buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5};

class metrics_registry {
 public:
  // Each returns the series for (name, labels), creating it on first use; the reference stays
  // valid for the registry's lifetime, so hot paths may keep it. A name is one type for good:
  // asking for it as another type, or with an invalid name, throws std::invalid_argument.
  server::counter& counter(std::string_view name, std::string_view help,
                           const metric_labels& labels = {});
  server::gauge& gauge(std::string_view name, std::string_view help,
                       const metric_labels& labels = {});
  server::histogram& histogram(std::string_view name, std::string_view help,
                               std::span<const double> bounds, const metric_labels& labels = {});

  // Runs `fn` at the start of each render(), to set gauges whose values live elsewhere (the
  // ledger's commit statistics) when they are read rather than on every change.
  void on_render(std::function<void()> fn);

  std::string render() const;

 private:
  enum class kind { counter, gauge, histogram };
  struct series {
    std::unique_ptr<server::counter> c;
    std::unique_ptr<server::gauge> g;
    std::unique_ptr<server::histogram> h;
  };
  struct family {
    kind type;
    std::string help;
    std::map<std::string, series> by_labels;  // key: the rendered label set
  };

  series& find_or_add(std::string_view name, std::string_view help, kind type,
                      const metric_labels& labels, std::span<const double> bounds);

  mutable std::mutex mutex_;
  std::map<std::string, family, std::less<>> families_;
  std::vector<std::function<void()>> before_render_;
};

}  // namespace coldtrace::server
