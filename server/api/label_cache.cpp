#include "server/api/label_cache.hpp"

namespace coldtrace::server::api {

label_cache::image label_cache::find(const key& k) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(k);
  if (it == index_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void label_cache::put(const key& k, image i) {
  if (!i || i->size() > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (index_.contains(k)) return;  // two renders raced; the first one stays
  bytes_ += i->size();
  order_.emplace_front(k, std::move(i));
  index_.emplace(k, order_.begin());
  while (bytes_ > max_bytes_) {
    auto& oldest = order_.back();
    bytes_ -= oldest.second->size();
    index_.erase(oldest.first);
    order_.pop_back();
  }
}

std::size_t label_cache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace coldtrace::server::api
