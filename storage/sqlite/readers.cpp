#include "storage/sqlite/readers.hpp"

namespace coldtrace::storage::sql {

readers::readers(std::filesystem::path file, int busy_timeout_ms)
    : file_(std::move(file)), busy_timeout_ms_(busy_timeout_ms) {}

readers::lease::~lease() {
  if (!c_) return;
  std::lock_guard lock{pool_->mutex_};
  pool_->idle_.push_back(std::move(c_));
}

readers::lease readers::acquire() {
  {
    std::lock_guard lock{mutex_};
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return lease{*this, std::move(c)};
    }
  }
  auto c = std::make_unique<connection>(
      connection::open(file_, connection::access::read_only, busy_timeout_ms_));
  return lease{*this, std::move(c)};
}

}  // namespace coldtrace::storage::sql
