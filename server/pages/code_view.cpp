#include "server/pages/code_view.hpp"

#include "codec/code.hpp"
#include "codec/day.hpp"
#include "codec/identifiers.hpp"
#include "codec/number.hpp"
#include "codec/url.hpp"

#include <cstdio>

namespace coldtrace::server::pages {
namespace {

constexpr auto china_offset = std::chrono::hours{8};

}  // namespace

result<code_view> load_code_view(const app& a, std::string_view digits) {
  code_view view;
  // The number printed under the QR, typed at /c/ when the symbol cannot be scanned.
  if (codec::looks_like_number(digits)) {
    auto n = codec::parse_number(digits);
    if (!n) return view;  // malformed: a digit misread
    auto v = a.verify(storage::scan::by_number(*n), std::nullopt);
    if (!v) return v.error();
    view.verdict = v->verdict;
    view.facts = std::move(v->facts);
    return view;
  }
  auto code = codec::parse_code_text(digits);
  if (!code) {
    view.verdict = codec::verdict_of(code.error());
    return view;
  }
  view.code = std::move(*code);
  auto v = a.verify(view.code);
  if (!v) return v.error();
  view.verdict = v->verdict;
  view.facts = std::move(v->facts);
  return view;
}

std::string_view verdict_tone(coldtrace::verdict v) {
  switch (v) {
    case verdict::valid: return "ok";
    case verdict::not_released:
    case verdict::pending_receipt:
    case verdict::exhausted: return "warn";
    default: return "bad";
  }
}

std::string day_text(storage::time_point t) {
  const auto local = std::chrono::floor<std::chrono::days>(t + china_offset);
  return codec::format_day(static_cast<std::uint32_t>(local.time_since_epoch().count()));
}

std::string minute_text(storage::time_point t) {
  const auto local = t + china_offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss hms{local - day};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return day_text(t) + " " + buf;
}

std::string mass_text(std::int64_t grams) {
  char buf[40];
  if (grams % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%lld kg", static_cast<long long>(grams / 1000));
  else
    std::snprintf(buf, sizeof buf, "%.3f kg", static_cast<double>(grams) / 1000.0);
  return buf;
}

std::string country_text(std::string_view alpha2, lang l) {
  auto c = codec::find_country(alpha2);
  if (!c) return std::string{alpha2};
  return std::string{l == lang::en ? c->name_en : c->name_zh};
}

std::string category_text(std::string_view name, lang l) {
  auto c = codec::find_category(name);
  if (!c) return std::string{name};
  return std::string{l == lang::en ? c->name_en : c->name_zh};
}

}  // namespace coldtrace::server::pages
