// The pusher's loop (pusher.hpp): read a page after the cursor, POST it, move the cursor on a
// 2xx, back off on a failure.
#include "server/push/pusher.hpp"

#include "server/api/json_records.hpp"
#include "storage/error.hpp"

#include <boost/json/serialize.hpp>

#include <thread>

namespace coldtrace::server {
namespace {

using ms = std::chrono::milliseconds;

bool retryable(int status) {
  return status == 0 || status == 408 || status == 429 || status >= 500;
}

// The batch as GET /api/v1/feed pages it, so one parser serves both.
boost::json::object page_json(const storage::event_feed& f) {
  boost::json::array events;
  for (const auto& e : f.events) events.push_back(api::to_json(e));
  const auto next = f.events.back().seq;
  return {{"events", std::move(events)},
          {"next_after", next},
          {"head", {{"seq", f.head_seq}, {"hash", to_hex(f.head_hash)}}},
          {"caught_up", next == f.head_seq}};
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string range(const storage::event_feed& f) {
  return std::to_string(f.events.front().seq) + "-" + std::to_string(f.events.back().seq);
}

}  // namespace

pusher::pusher(storage::ledger& ledger, push_options options, log_fn log)
    : ledger_(ledger), options_(std::move(options)), log_(std::move(log)) {
  const auto& p = options_.option_prefix;
  if (!parse_push_target(options_.to, target_))
    throw push_setup_error(p +
                           "to must look like https://platform.example.gov.cn/coldtrace/feed"
                           " (no user or password in it: the token goes in " +
                           p + "credentials)");
  endpoint_ = options_.to.substr(0, options_.to.find('?'));
  if (options_.batch < 1 || options_.batch > 1000)
    throw push_setup_error(p + "batch must be from 1 to 1000");
  if (options_.timeout <= ms{0} || options_.interval <= ms{0} || options_.max_backoff <= ms{0})
    throw push_setup_error(p + "timeout, " + p + "interval and " + p +
                           "max-backoff must be positive");
  if (options_.cursor.empty()) throw push_setup_error(p + "cursor: a file is needed");
  token_ = read_push_token(options_.credentials, p + "credentials");
  at_ = read_push_cursor(options_.cursor);
  status_->acked_seq = at_.seq;
}

void pusher::wait(ms d, const std::function<bool()>& stop,
                  std::optional<std::uint64_t> generation) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop() && std::chrono::steady_clock::now() < until) {
    if (generation && ledger_.generation() != generation) return;  // a commit: new events
    std::this_thread::sleep_for(std::min(d, ms{20}));
  }
}

// Whether the endpoint acknowledged the page (and the cursor moved past it), or will be asked
// again (after the backoff, waited here), or refused it for good (stop_on_refusal).
pusher::outcome pusher::deliver(const storage::event_feed& page,
                                const std::function<bool()>& stop) {
  const auto answer =
      post_json(target_, token_, boost::json::serialize(page_json(page)), options_.timeout, stop);
  if (answer.status == 0 && stop()) return outcome::again;  // abandoned: sent again next time
  std::string what =
      answer.status ? "HTTP " + std::to_string(answer.status) + " " + answer.body : answer.error;
  if (answer.status >= 200 && answer.status < 300) {
    const push_cursor next{page.events.back().seq, to_hex(page.events.back().hash)};
    try {
      write_push_cursor(options_.cursor, next);
      at_ = next;
      status_->acked_seq = at_.seq;
      status_->events += page.events.size();
      ++status_->batches;
      status_->last_success_unix = unix_now();
      status_->up = true;
      backoff_ = ms{0};
      return outcome::delivered;
    } catch (const std::exception& e) {
      what = std::string("acknowledged, but the cursor was not saved: ") + e.what();
    }
  }
  ++status_->failures;
  status_->up = false;
  if (answer.status && !retryable(answer.status)) {
    log_(push_level::error, endpoint_ + " refused events " + range(page) + ": " + what);
    if (options_.stop_on_refusal) return outcome::refused;
    backoff_ = options_.max_backoff;
    try {
      token_ = read_push_token(options_.credentials, options_.option_prefix + "credentials");
    } catch (const push_setup_error& e) {
      log_(push_level::error, e.what());
    }
  } else {
    backoff_ = backoff_.count() ? std::min(backoff_ * 2, options_.max_backoff)
                                : std::min(ms{250}, options_.max_backoff);
  }
  log_(push_level::retry, "events " + range(page) + " not delivered (" + what + "); again in " +
                              std::to_string(backoff_.count()) + " ms");
  wait(backoff_, stop);
  return outcome::again;
}

push_end pusher::run(const std::function<bool()>& stop) {
  log_(push_level::info, "from event " + std::to_string(at_.seq + 1) + " to " + endpoint_);
  const auto start_events = status_->events.load(), start_failures = status_->failures.load();
  auto end = push_end::stopped;
  while (!stop()) {
    const auto generation = ledger_.generation();  // before the read: a later commit wakes us
    auto page = ledger_.feed(storage::actor::local_admin(), {at_.seq, options_.batch});
    if (!page && storage::is(page.error(), storage::errc::invalid_input)) {
      log_(push_level::error, "the cursor " + options_.cursor + " is at event " +
                                  std::to_string(at_.seq) +
                                  ", beyond this database's chain: this database's history is "
                                  "not the one pushed before");
      end = push_end::diverged;
      break;
    }
    if (!page) {
      ++status_->failures;
      status_->up = false;
      backoff_ = std::min(std::max(backoff_ * 2, ms{250}), options_.max_backoff);
      log_(push_level::retry, "cannot read the feed (" + page.error().message + "); again in " +
                                  std::to_string(backoff_.count()) + " ms");
      wait(backoff_, stop);
      continue;
    }
    status_->head_seq = page->head_seq;
    if (page->events.empty()) {
      status_->up = true;  // nothing owed
      if (options_.once) {
        end = push_end::caught_up;
        break;
      }
      wait(options_.interval, stop, generation);
      continue;
    }
    // The cursor must name this history: the first event links to the hash acknowledged.
    if (to_hex(page->events.front().prev_hash) != at_.hash) {
      log_(push_level::error, "event " + std::to_string(page->events.front().seq) +
                                  " does not follow the hash in " + options_.cursor +
                                  ": this database's history is not the one pushed before");
      end = push_end::diverged;
      break;
    }
    if (deliver(*page, stop) == outcome::refused) {
      end = push_end::refused;
      break;
    }
  }
  if (end == push_end::diverged) status_->up = false;
  log_(push_level::info, std::to_string(status_->events - start_events) + " events delivered, " +
                             std::to_string(status_->failures - start_failures) +
                             " failed attempts; acknowledged up to event " +
                             std::to_string(at_.seq));
  return end;
}

}  // namespace coldtrace::server
