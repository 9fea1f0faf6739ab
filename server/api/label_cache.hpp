// Rendered labels, kept: a code's bytes never change, so neither does its label, and a QR
// symbol rendered to PNG costs far more than a verification. Bounded by bytes, the least
// recently used label goes first. Thread-safe. Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace coldtrace::server::api {

class label_cache {
 public:
  struct key {
    std::int64_t code = 0;
    int module_px = 0;
    bool png = false;
    bool operator==(const key&) const = default;
  };
  using image = std::shared_ptr<const std::string>;

  explicit label_cache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  image find(const key& k);  // null when not cached
  void put(const key& k, image i);

  std::size_t bytes() const;

 private:
  struct hash {
    std::size_t operator()(const key& k) const noexcept {
      return std::hash<std::int64_t>{}(k.code) ^
             (static_cast<std::size_t>(k.module_px) << 1 | (k.png ? 1u : 0u)) * 0x9E3779B97F4A7C15u;
    }
  };
  using entry = std::pair<key, image>;

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<entry> order_;  // most recently used first
  std::unordered_map<key, std::list<entry>::iterator, hash> index_;
  std::size_t bytes_ = 0;
};

}  // namespace coldtrace::server::api
