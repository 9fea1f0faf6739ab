#include "server/answer_cache.hpp"

#include <functional>

namespace coldtrace::server {
namespace {

// What an entry costs besides its key and body: the list node, the index slot, the strings.
constexpr std::size_t entry_overhead = 160;

}  // namespace

answer_cache::answer_cache(metrics_registry& m, std::string_view name, answer_cache_options o)
    : options_(o) {
  const metric_labels labels{{"answer", std::string(name)}};
  hits_ =
      &m.counter("coldtrace_answer_cache_hits_total",
                 "Public answers served from the cache (the code's state was unchanged)", labels);
  misses_ = &m.counter("coldtrace_answer_cache_misses_total",
                       "Public answers the cache did not have current: read and rendered", labels);
  bytes_ = &m.gauge("coldtrace_answer_cache_bytes", "Bytes the answer cache holds now", labels);
}

answer_cache::stamp answer_cache::now(const storage::ledger& l) const {
  const auto g = l.generation();
  return {g.value_or(0), clock::now(), g.has_value() && options_.max_bytes > 0};
}

answer_cache::shard& answer_cache::shard_of(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % shard_count];
}

void answer_cache::drop(shard& s, std::list<entry>::iterator it) {
  s.bytes -= it->cost;
  bytes_->add(-static_cast<std::int64_t>(it->cost));
  s.index.erase(it->key);
  s.lru.erase(it);
}

std::optional<answer_cache::answer> answer_cache::find(std::string_view key, const stamp& now) {
  if (now.fresh) {
    auto& s = shard_of(key);
    std::lock_guard lock(s.mutex);
    if (auto found = s.index.find(key); found != s.index.end()) {
      auto it = found->second;
      if (it->made.generation == now.generation && now.at - it->made.at <= options_.max_age) {
        s.lru.splice(s.lru.begin(), s.lru, it);
        hits_->inc();
        return it->value;
      }
      drop(s, it);  // outdated for good: the generation only moves forward
    }
  }
  misses_->inc();
  return std::nullopt;
}

void answer_cache::store(std::string_view key, const stamp& made, answer a) {
  if (!made.fresh) return;
  const std::size_t cost = key.size() + a.body.size() + entry_overhead;
  const std::size_t limit = options_.max_bytes / shard_count;
  if (cost > limit) return;
  auto& s = shard_of(key);
  std::lock_guard lock(s.mutex);
  if (auto found = s.index.find(key); found != s.index.end()) {
    // Another request made it meanwhile: keep the one made from the later read.
    if (found->second->made.generation > made.generation) return;
    drop(s, found->second);
  }
  while (s.bytes + cost > limit && !s.lru.empty()) drop(s, std::prev(s.lru.end()));
  s.lru.push_front(entry{std::string(key), std::move(a), made, cost});
  s.index.emplace(s.lru.front().key, s.lru.begin());
  s.bytes += cost;
  bytes_->add(static_cast<std::int64_t>(cost));
}

}  // namespace coldtrace::server
