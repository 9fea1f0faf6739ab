#include "server/admission.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <utility>

namespace coldtrace::server {

admission::slot::slot(slot&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), client_(std::move(other.client_)) {}

admission::slot& admission::slot::operator=(slot&& other) noexcept {
  if (this != &other) {
    if (owner_) owner_->leave(client_);
    owner_ = std::exchange(other.owner_, nullptr);
    client_ = std::move(other.client_);
  }
  return *this;
}

admission::slot::~slot() {
  if (owner_) owner_->leave(client_);
}

admission::admission(std::size_t max_total, std::size_t max_per_client)
    : max_total_(std::max<std::size_t>(1, max_total)),
      max_per_client_(std::max<std::size_t>(1, max_per_client)) {}

admission::slot admission::enter(const std::string& client, refusal& why) {
  std::lock_guard lock(mutex_);
  if (open_ >= max_total_) {
    why = refusal::total;
    return {};
  }
  auto& mine = by_client_[client];
  if (mine >= max_per_client_) {
    why = refusal::per_client;
    return {};
  }
  ++mine;
  ++open_;
  why = refusal::none;
  return slot(this, client);
}

void admission::leave(const std::string& client) {
  std::lock_guard lock(mutex_);
  --open_;
  auto it = by_client_.find(client);
  if (it != by_client_.end() && --it->second == 0) by_client_.erase(it);
}

std::size_t admission::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

std::size_t open_file_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return 1 << 20;
  return static_cast<std::size_t>(r.rlim_cur);
}

std::pair<std::size_t, std::size_t> raise_open_file_limit() {
  const auto before = open_file_limit();
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
  return {before, open_file_limit()};
}

std::size_t default_max_connections(std::size_t open_files) {
  // The ledger's files, its reader pool, the log, TLS and the listening sockets need a few;
  // a connection being accepted and refused needs one more.
  const std::size_t reserve = std::max<std::size_t>(64, open_files / 8);
  return open_files > reserve + 1 ? open_files - reserve : 1;
}

std::size_t default_max_per_client(std::size_t max_total) {
  return std::clamp<std::size_t>(max_total / 4, 1, 512);
}

}  // namespace coldtrace::server
