// Public answers (the verify API's JSON, the /c/ page's HTML) kept between verifications of a
// code whose state has not changed: a hit costs a hash look-up and a copy instead of a ledger
// read and a rendering.
//
// Exactness: an answer is stored with the ledger's generation read *before* the read it was
// made from, and served only while the generation is still that number. The ledger's writer
// moves it after each commit and before acknowledging any write in it, so a recall, release,
// receipt, sale or result is seen by the very next verification. A commit by another process
// (a CLI command beside the server) does not move it: an answer also expires after max_age,
// the bound that reader snapshots already put on seeing such commits.
//
// Memory is bounded: least recently used answers go first once max_bytes is reached.
#pragma once

#include "codec/verdict.hpp"
#include "server/metrics.hpp"
#include "storage/ledger.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coldtrace::server {

struct answer_cache_options {
  std::size_t max_bytes = 16u << 20;      // keys and bodies, all shards together
  std::chrono::milliseconds max_age{10};  // against commits by other processes
};

class answer_cache {
 public:
  using clock = std::chrono::steady_clock;

  // When an answer was made: take it before reading the ledger. `fresh` is false when the
  // ledger cannot say when it changes: then nothing is kept.
  struct stamp {
    std::uint64_t generation = 0;
    clock::time_point at{};
    bool fresh = false;
  };

  struct answer {
    coldtrace::verdict verdict = coldtrace::verdict::unknown;
    std::string body;
    std::optional<storage::code_id> code;  // the code answered for, to count a hit as a scan
  };

  // `name` labels the metric series (coldtrace_answer_cache_{hits,misses}_total, _bytes).
  answer_cache(metrics_registry& m, std::string_view name, answer_cache_options o);

  stamp now(const storage::ledger& l) const;
  // The answer stored under `key` if it is still current at `s`; counts a hit or a miss.
  std::optional<answer> find(std::string_view key, const stamp& s);
  // Keeps `a` under `key`, made from a read after `made` was taken.
  void store(std::string_view key, const stamp& made, answer a);

 private:
  struct entry {
    std::string key;
    answer value;
    stamp made;
    std::size_t cost = 0;
  };
  struct shard {
    std::mutex mutex;
    std::list<entry> lru;  // most recently used first
    std::unordered_map<std::string_view, std::list<entry>::iterator> index;  // keys in `lru`
    std::size_t bytes = 0;
  };
  static constexpr std::size_t shard_count = 8;

  shard& shard_of(std::string_view key);
  void drop(shard& s, std::list<entry>::iterator it);

  answer_cache_options options_;
  std::array<shard, shard_count> shards_;
  counter* hits_;
  counter* misses_;
  gauge* bytes_;
};

}  // namespace coldtrace::server
