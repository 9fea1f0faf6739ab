// coldtrace push: the pusher (server/push/pusher.hpp) as a process of its own, beside a server
// or on a copy of the database: delivers the change feed to an upper platform's HTTP endpoint,
// at least once and in order (docs/exchange.md). An answer a retry cannot change (401, 403,
// 400...) ends it with exit 1, as does a database whose history does not continue the cursor's.
#include "server/push/pusher.hpp"
#include "tools/cli_ledger.hpp"

#include <csignal>
#include <iostream>

namespace coldtrace::cli {
namespace {

struct push_args {
  std::string db;
  server::push_options o;
  double timeout_s = 10, interval_s = 2, max_backoff_s = 60;
};

volatile std::sig_atomic_t stop_asked = 0;
void on_signal(int) {
  stop_asked = 1;
}

std::chrono::milliseconds seconds(double s) {
  return std::chrono::milliseconds{static_cast<std::int64_t>(s * 1000)};
}

void run_push(push_args a) {
  a.o.timeout = seconds(a.timeout_s);
  a.o.interval = seconds(a.interval_s);
  a.o.max_backoff = seconds(a.max_backoff_s);
  if (a.o.cursor.empty()) a.o.cursor = a.db + ".push-cursor";
  a.o.stop_on_refusal = true;
  auto ledger = open_ledger(a.db, true);
  auto log = [](server::push_level level, const std::string& message) {
    if (level == server::push_level::info)
      std::cout << "push: " << message << std::endl;
    else
      std::cerr << (level == server::push_level::error ? "coldtrace: " : "push: ") << message
                << std::endl;
  };
  std::optional<server::pusher> p;
  try {
    p.emplace(*ledger, a.o, log);
  } catch (const server::push_setup_error& e) {
    usage_error(e.what());
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  const auto end = p->run([] { return stop_asked != 0; });
  if (end == server::push_end::refused || end == server::push_end::diverged) throw cli_exit{1};
}

}  // namespace

void add_push_command(CLI::App& app) {
  auto a = std::make_shared<push_args>();
  auto* cmd = app.add_subcommand(
      "push", "Deliver the change feed to an upper platform's HTTP endpoint, at least once");
  cmd->add_option("--db", a->db, "Database file")->required();
  cmd->add_option("--to", a->o.to, "The endpoint: https://... (or http:// for a local test)")
      ->required();
  cmd->add_option("--credentials", a->o.credentials,
                  "A file whose first line is the bearer token the endpoint expects");
  cmd->add_option("--cursor", a->o.cursor,
                  "The cursor file: the last event acknowledged (default: DB.push-cursor)");
  cmd->add_option("--batch", a->o.batch, "Events per request, 1-1000 (default 500)");
  cmd->add_option("--timeout", a->timeout_s, "Seconds for one request, connect to answer (10)");
  cmd->add_option("--interval", a->interval_s, "Seconds between polls once caught up (2)");
  cmd->add_option("--max-backoff", a->max_backoff_s,
                  "Longest wait between retries, seconds (60; from 0.25 s, doubling)");
  cmd->add_flag("--once", a->o.once, "Stop once caught up (default: keep following the chain)");
  cmd->callback([a] { run_push(*a); });
}

}  // namespace coldtrace::cli
