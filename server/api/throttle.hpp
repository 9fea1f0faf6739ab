// Sign-in attempts, limited per account name and per client address: after `max_per_name`
// failures for one name (or `max_per_address` from one address) within `window`, that name (or
// address) is refused until the oldest of those failures leaves the window. A success clears
// the name's failures. Kept in memory, per server process: a restart forgets, and several
// servers behind one address count separately (each still bounds guessing to its own limit).
#pragma once

#include "codec/error.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace coldtrace::server::api {

// The error of a refused attempt: HTTP 429 "too_many_requests" (registered with the error map
// by register_throttle_errors), its message saying in how many minutes to try again, and the
// Retry-After seconds among its args.
error too_many_attempts(std::chrono::seconds wait);
void register_throttle_errors();

class sign_in_throttle {
 public:
  using clock = std::chrono::steady_clock;

  struct limits {
    std::size_t max_per_name = 5;
    std::size_t max_per_address = 20;
    std::chrono::seconds window{15 * 60};
  };

  sign_in_throttle() = default;
  explicit sign_in_throttle(limits l) : limits_(l) {}

  // How long until `name` from `address` may try again; nothing: it may try now.
  std::optional<std::chrono::seconds> wait(std::string_view name, std::string_view address,
                                           clock::time_point now);
  void failed(std::string_view name, std::string_view address, clock::time_point now);
  void succeeded(std::string_view name);

 private:
  using failures = std::map<std::string, std::deque<clock::time_point>, std::less<>>;
  std::optional<std::chrono::seconds> wait_in(failures& f, std::string_view key, std::size_t max,
                                              clock::time_point now);
  void forget_old(clock::time_point now);

  limits limits_;
  std::mutex mutex_;
  failures by_name_;
  failures by_address_;
  clock::time_point last_sweep_{};
};

}  // namespace coldtrace::server::api
