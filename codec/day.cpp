#include "codec/day.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace coldtrace::codec {
namespace {

bool number(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

result<std::uint32_t> parse_day(std::string_view s) {
  using namespace std::chrono;
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !number(s.substr(0, 4), y) ||
      !number(s.substr(5, 2), m) || !number(s.substr(8, 2), d))
    return fail(errc::bad_value, "'" + std::string(s) + "' is not a date like 2026-11-27");
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return fail(errc::bad_value, std::string(s) + " is not a real calendar date");
  auto days = sys_days{ymd}.time_since_epoch().count();
  if (days < 0) return fail(errc::bad_value, "dates before 1970 are not used");
  return static_cast<std::uint32_t>(days);
}

std::string format_day(std::uint32_t day) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{day}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::uint32_t today() {
  using namespace std::chrono;
  return static_cast<std::uint32_t>(floor<days>(system_clock::now()).time_since_epoch().count());
}

}  // namespace coldtrace::codec
