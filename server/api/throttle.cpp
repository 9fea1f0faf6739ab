#include "server/api/throttle.hpp"

#include "server/error_map.hpp"

#include <algorithm>

namespace coldtrace::server::api {
namespace {

class throttle_category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "coldtrace.throttle"; }
  std::string message(int) const override { return "too many attempts: try again later"; }
};

const boost::system::error_category& category() {
  static const throttle_category c;
  return c;
}

}  // namespace

error too_many_attempts(std::chrono::seconds wait) {
  const auto minutes = (wait.count() + 59) / 60;
  return {
      {1, category()},
      "too many failed sign-in attempts: try again in " + std::to_string(minutes) + " minute(s)",
      "signin.throttled",
      {{"minutes", std::to_string(minutes)}, {"retry_after", std::to_string(wait.count())}}};
}

void register_throttle_errors() {
  static constexpr error_mapping table[] = {{1, 429, "too_many_requests"}};
  register_errors(category(), table);
}

std::optional<std::chrono::seconds> sign_in_throttle::wait_in(failures& f, std::string_view key,
                                                              std::size_t max,
                                                              clock::time_point now) {
  auto it = f.find(key);
  if (it == f.end()) return std::nullopt;
  auto& times = it->second;
  while (!times.empty() && times.front() + limits_.window <= now) times.pop_front();
  if (times.size() < max) return std::nullopt;
  // Refused until the oldest failure that still counts leaves the window.
  const auto left = times[times.size() - max] + limits_.window - now;
  return std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(left));
}

std::optional<std::chrono::seconds> sign_in_throttle::wait(std::string_view name,
                                                           std::string_view address,
                                                           clock::time_point now) {
  std::lock_guard lock{mutex_};
  auto by_name = wait_in(by_name_, name, limits_.max_per_name, now);
  auto by_address = wait_in(by_address_, address, limits_.max_per_address, now);
  if (by_name && by_address) return std::max(*by_name, *by_address);
  return by_name ? by_name : by_address;
}

void sign_in_throttle::failed(std::string_view name, std::string_view address,
                              clock::time_point now) {
  std::lock_guard lock{mutex_};
  forget_old(now);
  by_name_[std::string{name}].push_back(now);
  by_address_[std::string{address}].push_back(now);
}

void sign_in_throttle::succeeded(std::string_view name) {
  std::lock_guard lock{mutex_};
  if (auto it = by_name_.find(name); it != by_name_.end()) by_name_.erase(it);
}

// Names and addresses whose failures all left the window are dropped, at most once a window,
// so that guessing with ever new names cannot grow the maps without bound.
void sign_in_throttle::forget_old(clock::time_point now) {
  if (now - last_sweep_ < limits_.window) return;
  last_sweep_ = now;
  for (auto* f : {&by_name_, &by_address_}) {
    std::erase_if(*f, [&](const auto& entry) {
      return entry.second.empty() || entry.second.back() + limits_.window <= now;
    });
  }
}

}  // namespace coldtrace::server::api
