// The pusher's status on /metrics (pusher.hpp): copied from push_status at each render, so the
// pusher's thread touches only its own atomics.
#include "server/push/pusher.hpp"

#include <mutex>

namespace coldtrace::server {

void install_push_metrics(metrics_registry& m, std::shared_ptr<const push_status> s) {
  auto& up = m.gauge("coldtrace_push_up",
                     "1 when the upper platform acknowledged the last batch sent (or nothing is "
                     "owed), 0 while a batch is failing");
  auto& acked = m.gauge("coldtrace_push_last_acked_seq",
                        "The last event of the chain the upper platform acknowledged");
  auto& head = m.gauge("coldtrace_push_chain_head_seq",
                       "The chain's head when the pusher last read the feed");
  auto& lag = m.gauge("coldtrace_push_lag_events",
                      "Events of the chain not yet acknowledged by the upper platform");
  auto& last = m.gauge("coldtrace_push_last_success_unixtime",
                       "When the upper platform last acknowledged a batch (0: not since start)");
  auto& events = m.counter("coldtrace_push_events_total",
                           "Events the upper platform acknowledged (a resent one counts again)");
  auto& batches =
      m.counter("coldtrace_push_batches_total", "Requests the upper platform acknowledged");
  auto& failures = m.counter("coldtrace_push_failures_total",
                             "Requests not acknowledged (no answer, a timeout, an HTTP error) "
                             "and failed reads of the feed");
  auto mutex = std::make_shared<std::mutex>();  // two renders at once must not add twice
  m.on_render([=, &up, &acked, &head, &lag, &last, &events, &batches, &failures] {
    const auto a = s->acked_seq.load(), h = s->head_seq.load();
    up.set(s->up ? 1 : 0);
    acked.set(a);
    head.set(std::max(h, a));
    lag.set(std::max<std::int64_t>(h - a, 0));
    last.set(s->last_success_unix);
    std::lock_guard lock(*mutex);
    auto catch_up = [](counter& c, std::uint64_t v) {
      if (v > c.value()) c.inc(v - c.value());
    };
    catch_up(events, s->events);
    catch_up(batches, s->batches);
    catch_up(failures, s->failures);
  });
}

}  // namespace coldtrace::server
