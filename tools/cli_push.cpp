// coldtrace push: delivers the change feed (the audit chain's events, as GET /api/v1/feed
// pages them) to an upper platform's HTTP endpoint, batch by batch, at least once and in
// order (docs/exchange.md). A durable cursor file holds the last event the receiver
// acknowledged (2xx): it is replaced atomically only after the acknowledgement, so a crash
// or kill -9 at any moment resends at most one batch and never skips one. Failures (no
// answer, a timeout, 5xx, 408, 429) are retried with exponential backoff; any other answer
// stops the pusher (exit 1), since sending the same batch again cannot change it.
#include "server/api/json_records.hpp"
#include "tools/cli_ledger.hpp"
#include "tools/push_http.hpp"

#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

namespace coldtrace::cli {
namespace {

struct push_args {
  std::string db, to, credentials, cursor;
  int batch = 500;
  double timeout_s = 10, interval_s = 2, max_backoff_s = 60;
  bool once = false;
};

// The last event acknowledged: its seq and hash ("0" and 64 zeros before the first).
struct cursor {
  std::int64_t seq = 0;
  std::string hash = std::string(64, '0');
};

cursor read_cursor(const std::filesystem::path& file) {
  cursor c;
  std::ifstream in{file};
  if (!in) return c;  // no file yet: from the start
  if (!(in >> c.seq >> c.hash) || c.seq < 0 || c.hash.size() != 64)
    usage_error("the cursor file " + file.string() + " is not \"SEQ HASH\"");
  return c;
}

void sync_fd(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync " + p.string());
  }
  ::close(fd);
}

// Written beside the file, synced, renamed over it, and the directory synced: after a crash
// the file holds the old cursor or the new one, never a torn one.
void write_cursor(const std::filesystem::path& file, const cursor& c) {
  const auto tmp = std::filesystem::path{file.string() + ".tmp"};
  {
    std::ofstream out{tmp, std::ios::trunc};
    if (!(out << c.seq << " " << c.hash << "\n") || !out.flush())
      throw std::runtime_error("cannot write " + tmp.string());
  }
  sync_fd(tmp, O_RDONLY);
  std::filesystem::rename(tmp, file);
  const auto dir = file.parent_path().empty() ? std::filesystem::path{"."} : file.parent_path();
  sync_fd(dir, O_RDONLY | O_DIRECTORY);
}

std::string read_token(const std::string& file) {
  if (file.empty()) return {};
  std::ifstream in{file};
  std::string token;
  if (!in || !std::getline(in, token) || token.empty())
    usage_error("--credentials " + file + ": cannot read a token from its first line");
  return token;
}

volatile std::sig_atomic_t stop_asked = 0;
void on_signal(int) {
  stop_asked = 1;
}

void sleep_for(std::chrono::milliseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop_asked && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::min(d, std::chrono::milliseconds{50}));
}

bool retryable(int status) {
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

// The batch as GET /api/v1/feed pages it, so one parser serves both.
boost::json::object page_json(const storage::event_feed& f) {
  boost::json::array events;
  for (const auto& e : f.events) events.push_back(server::api::to_json(e));
  const auto next = f.events.back().seq;
  return {{"events", std::move(events)},
          {"next_after", next},
          {"head", {{"seq", f.head_seq}, {"hash", to_hex(f.head_hash)}}},
          {"caught_up", next == f.head_seq}};
}

using ms = std::chrono::milliseconds;
ms seconds(double s) {
  return ms{static_cast<std::int64_t>(s * 1000)};
}

void run_push(const push_args& a) {
  push_target target;
  std::string why;
  if (!parse_push_target(a.to, target, why)) usage_error(why);
  if (a.batch < 1 || a.batch > 1000) usage_error("--batch must be from 1 to 1000");
  if (a.timeout_s <= 0 || a.interval_s <= 0 || a.max_backoff_s <= 0)
    usage_error("--timeout, --interval and --max-backoff must be positive");
  const std::filesystem::path cursor_file = a.cursor.empty() ? a.db + ".push-cursor" : a.cursor;
  const auto token = read_token(a.credentials);
  auto ledger = open_ledger(a.db, true);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);

  auto at = read_cursor(cursor_file);
  std::cout << "push: from event " << at.seq + 1 << " to " << a.to << std::endl;
  std::int64_t sent = 0, retries = 0;
  ms backoff{0};
  while (!stop_asked) {
    auto page = ledger_or_exit(
        ledger->feed(storage::actor::local_admin(), {at.seq, static_cast<std::int64_t>(a.batch)}));
    if (page.events.empty()) {
      if (a.once) break;
      sleep_for(seconds(a.interval_s));
      continue;
    }
    // The cursor must name this history: the first event links to the hash acknowledged.
    if (to_hex(page.events.front().prev_hash) != at.hash) {
      std::cerr << "coldtrace: event " << page.events.front().seq << " does not follow the hash in "
                << cursor_file.string()
                << ": this database's history is not the one pushed before\n";
      throw cli_exit{1};
    }
    const auto body = boost::json::serialize(page_json(page));
    const auto answer = post_json(target, token, body, seconds(a.timeout_s));
    if (answer.status >= 200 && answer.status < 300) {
      at = {page.events.back().seq, to_hex(page.events.back().hash)};
      write_cursor(cursor_file, at);
      sent += static_cast<std::int64_t>(page.events.size());
      backoff = ms{0};
      continue;
    }
    const std::string what =
        answer.status ? "HTTP " + std::to_string(answer.status) + " " + answer.body : answer.error;
    if (!retryable(answer.status)) {
      std::cerr << "coldtrace: " << a.to << " refused events " << page.events.front().seq << "-"
                << page.events.back().seq << ": " << what << "\n";
      throw cli_exit{1};
    }
    ++retries;
    backoff = backoff.count() ? std::min(backoff * 2, seconds(a.max_backoff_s))
                              : std::min(ms{250}, seconds(a.max_backoff_s));
    std::cerr << "push: events " << page.events.front().seq << "-" << page.events.back().seq
              << " not delivered (" << what << "); again in " << backoff.count() << " ms"
              << std::endl;
    sleep_for(backoff);
  }
  std::cout << "push: " << sent << " events delivered, " << retries
            << " retries; acknowledged up to event " << at.seq << std::endl;
}

}  // namespace

void add_push_command(CLI::App& app) {
  auto a = std::make_shared<push_args>();
  auto* cmd = app.add_subcommand(
      "push", "Deliver the change feed to an upper platform's HTTP endpoint, at least once");
  cmd->add_option("--db", a->db, "Database file")->required();
  cmd->add_option("--to", a->to, "The endpoint: https://... (or http:// for a local test)")
      ->required();
  cmd->add_option("--credentials", a->credentials,
                  "A file whose first line is the bearer token the endpoint expects");
  cmd->add_option("--cursor", a->cursor,
                  "The cursor file: the last event acknowledged (default: DB.push-cursor)");
  cmd->add_option("--batch", a->batch, "Events per request, 1-1000 (default 500)");
  cmd->add_option("--timeout", a->timeout_s, "Seconds for one request, connect to answer (10)");
  cmd->add_option("--interval", a->interval_s, "Seconds between polls once caught up (2)");
  cmd->add_option("--max-backoff", a->max_backoff_s,
                  "Longest wait between retries, seconds (60; from 0.25 s, doubling)");
  cmd->add_flag("--once", a->once, "Stop once caught up (default: keep following the chain)");
  cmd->callback([a] { run_push(*a); });
}

}  // namespace coldtrace::cli
