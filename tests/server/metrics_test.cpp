#include "server/metrics.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace coldtrace::server;

TEST_CASE("counters render in the Prometheus text format", "[server]") {
  metrics_registry m;
  m.counter("coldtrace_verdicts_total", "Verdicts given.", {{"verdict", "valid"}}).inc(3);
  m.counter("coldtrace_verdicts_total", "Verdicts given.", {{"verdict", "forged"}}).inc();
  m.counter("coldtrace_verdicts_total", "Verdicts given.", {{"verdict", "valid"}}).inc();
  CHECK(m.render() ==
        "# HELP coldtrace_verdicts_total Verdicts given.\n"
        "# TYPE coldtrace_verdicts_total counter\n"
        "coldtrace_verdicts_total{verdict=\"forged\"} 1\n"
        "coldtrace_verdicts_total{verdict=\"valid\"} 4\n");
}

TEST_CASE("histograms render cumulative buckets, sum and count", "[server]") {
  metrics_registry m;
  constexpr double bounds[] = {1, 10};
  auto& h = m.histogram("coldtrace_commit_batch_size", "Writes per commit.", bounds);
  for (double v : {1.0, 3.0, 8.0, 40.0}) h.observe(v);
  CHECK(m.render() ==
        "# HELP coldtrace_commit_batch_size Writes per commit.\n"
        "# TYPE coldtrace_commit_batch_size histogram\n"
        "coldtrace_commit_batch_size_bucket{le=\"1\"} 1\n"
        "coldtrace_commit_batch_size_bucket{le=\"10\"} 3\n"
        "coldtrace_commit_batch_size_bucket{le=\"+Inf\"} 4\n"
        "coldtrace_commit_batch_size_sum 52\n"
        "coldtrace_commit_batch_size_count 4\n");
}

TEST_CASE("label values are escaped and gauges go up and down", "[server]") {
  metrics_registry m;
  auto& g = m.gauge("open", "Open things.", {{"name", "a\"b\\c\nd"}});
  g.add(2);
  g.add(-1);
  CHECK_THAT(m.render(), Catch::Contains("open{name=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST_CASE("a metric name keeps its type and must be valid", "[server]") {
  metrics_registry m;
  m.counter("x_total", "X.");
  CHECK_THROWS_AS(m.gauge("x_total", "X."), std::invalid_argument);
  CHECK_THROWS_AS(m.counter("1abc", "bad"), std::invalid_argument);
  CHECK_THROWS_AS(m.counter("ok_total", "bad label", {{"le", "1"}}), std::invalid_argument);
}
