#include "tools/serve_push.hpp"

#include "server/log.hpp"
#include "storage/postgres_ledger.hpp"
#include "tools/cli_ledger.hpp"

#include <iostream>

namespace coldtrace::cli {
namespace {

std::chrono::milliseconds seconds(double s) {
  return std::chrono::milliseconds{static_cast<std::int64_t>(s * 1000)};
}

}  // namespace

void add_serve_push_options(CLI::App& cmd, serve_push_cli& p) {
  cmd.add_option("--push-to", p.o.to,
                 "Deliver the change feed to this upper platform's endpoint (https://...), "
                 "as coldtrace push does, from within the server; status on /metrics");
  cmd.add_option("--push-credentials", p.o.credentials,
                 "A file whose first line is the bearer token the endpoint expects");
  cmd.add_option("--push-cursor", p.o.cursor,
                 "The pusher's cursor file (default: DB.push-cursor; required with PostgreSQL)");
  cmd.add_option("--push-batch", p.o.batch, "Events per request, 1-1000")->capture_default_str();
  cmd.add_option("--push-timeout", p.timeout_s, "Seconds for one request, connect to answer")
      ->capture_default_str();
  cmd.add_option("--push-interval", p.interval_s,
                 "Seconds between polls once caught up (a commit of this server wakes it sooner)")
      ->capture_default_str();
  cmd.add_option("--push-max-backoff", p.max_backoff_s,
                 "Longest wait between retries, seconds (from 0.25 s, doubling)")
      ->capture_default_str();
}

serve_pusher::serve_pusher(const serve_push_cli& p, const std::string& db,
                           storage::ledger& ledger) {
  auto o = p.o;
  if (o.to.empty()) {
    if (!o.credentials.empty() || !o.cursor.empty())
      usage_error("--push-credentials and --push-cursor need --push-to");
    return;
  }
  if (o.cursor.empty()) {
    if (storage::is_postgres(db))
      usage_error("--push-cursor is required with a postgresql:// database");
    o.cursor = db + ".push-cursor";
  }
  o.timeout = seconds(p.timeout_s);
  o.interval = seconds(p.interval_s);
  o.max_backoff = seconds(p.max_backoff_s);
  o.stop_on_refusal = false;  // a server keeps trying; /metrics says it is failing
  o.option_prefix = "--push-";
  // The server's own logger is made inside server::serve(): this one writes the same JSON
  // lines to the same stream.
  auto log = std::make_shared<server::logger>();
  try {
    pusher_.emplace(ledger, std::move(o), [log](server::push_level level, const std::string& m) {
      if (level == server::push_level::info)
        log->info("push", {{"message", m}});
      else
        log->error("push", {{"message", m}});
    });
  } catch (const server::push_setup_error& e) {
    usage_error(e.what());
  }
}

void serve_pusher::stop() {
  thread_ = {};  // request_stop() and join()
}

void serve_pusher::install_metrics(server::metrics_registry& m) const {
  if (pusher_) server::install_push_metrics(m, pusher_->status());
}

void serve_pusher::start() {
  if (!pusher_) return;
  thread_ = std::jthread([this](std::stop_token stop) {
    try {
      pusher_->run([&stop] { return stop.stop_requested(); });
    } catch (const std::exception& e) {
      server::logger{}.error("push", {{"message", std::string("the pusher stopped: ") + e.what()}});
    }
  });
}

}  // namespace coldtrace::cli
