#include "server/api/decode.hpp"

#include "codec/code.hpp"
#include "codec/day.hpp"
#include "codec/url.hpp"
#include "server/error.hpp"
#include "server/json.hpp"
#include "storage/digest.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <charconv>

namespace coldtrace::server::api {
namespace {

using codec::errc::bad_value;

bool digits_only(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::int64_t> to_int64(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool two_digits(std::string_view s, std::size_t at, int& out) {
  if (at + 2 > s.size() || !digits_only(s.substr(at, 2))) return false;
  out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

// The longest code id a person would type; a code's digits are always far longer (its
// signature alone is 64 bytes, ~155 digits), so the two never collide.
constexpr std::size_t max_id_digits = 18;

// codec's messages may quote a byte of what was scanned, which need not be UTF-8 on its own;
// the message goes into JSON, so such bytes are replaced.
error ascii_only(error e) {
  for (auto& c : e.message)
    if (static_cast<unsigned char>(c) >= 0x80 || c < 0x20) c = '?';
  return e;
}

}  // namespace

std::string shown(std::string_view input) {
  constexpr std::size_t most = 40;
  std::string out;
  for (char c : input.substr(0, most)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (input.size() > most) out += "...";
  return out;
}

storage::time_point now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

result<std::int64_t> path_id(const context& ctx, std::string_view name) {
  const auto text = ctx.params[name];
  auto id = digits_only(text) && text.size() <= max_id_digits ? to_int64(text) : std::nullopt;
  if (!id || *id <= 0) return fail(errc::not_found, "no record has the id \"" + shown(text) + "\"");
  return *id;
}

result<std::optional<std::int64_t>> query_integer(const request& req, std::string_view name,
                                                  std::int64_t min, std::int64_t max) {
  auto text = query_param(req, name);
  if (!text) return std::optional<std::int64_t>{};
  auto v = to_int64(*text);
  if (!v || *v < min || *v > max)
    return codec::fail(bad_value, "the query parameter \"" + std::string(name) +
                                      "\" must be an integer from " + std::to_string(min) + " to " +
                                      std::to_string(max));
  return v;
}

result<void> only_query_params(const request& req,
                               std::initializer_list<std::string_view> accepted) {
  const auto names = query_names(req);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& n = names[i];
    if (std::find(accepted.begin(), accepted.end(), n) == accepted.end()) {
      std::string list;
      for (auto a : accepted) list += (list.empty() ? "" : ", ") + std::string(a);
      return codec::fail(bad_value,
                         "unknown query parameter \"" + shown(n) + "\"; accepted: " + list);
    }
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), n) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      return codec::fail(bad_value, "the query parameter \"" + n + "\" is given twice");
  }
  return {};
}

result<storage::page> query_page(const request& req) {
  storage::page p;
  auto after = query_integer(req, "after", 0, std::numeric_limits<std::int64_t>::max());
  if (!after) return after.error();
  auto limit = query_integer(req, "limit", 1, 1000);
  if (!limit) return limit.error();
  p.after = after->value_or(0);
  p.limit = limit->value_or(100);
  return p;
}

result<storage::time_point> parse_time(std::string_view s, std::string_view field) {
  auto bad = [&] {
    auto e = codec::fail(bad_value, "\"" + std::string(field) + "\" is \"" + shown(s) +
                                        "\"; write a time like 2024-03-01T08:30:00Z or "
                                        "2024-03-01T16:30:00+08:00");
    e.detail = "time.bad";
    e.args = {{"field", std::string(field)}};
    return e;
  };
  int hh = 0, mm = 0, ss = 0;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
      !two_digits(s, 11, hh) || !two_digits(s, 14, mm) || !two_digits(s, 17, ss))
    return bad();
  auto day = codec::parse_day(s.substr(0, 10));
  if (!day) return bad();
  if (hh > 23 || mm > 59 || ss > 60) return bad();
  auto rest = s.substr(19);
  if (!rest.empty() && rest.front() == '.') {  // fractions: the ledger keeps whole seconds
    rest.remove_prefix(1);
    auto n = std::min(rest.find_first_not_of("0123456789"), rest.size());
    if (n == 0) return bad();
    rest.remove_prefix(n);
  }
  std::int64_t offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (!two_digits(rest, 1, oh) || !two_digits(rest, 4, om) || oh > 23 || om > 59) return bad();
    offset = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  const std::int64_t secs = std::int64_t{*day} * 86400 + hh * 3600 + mm * 60 + std::min(ss, 59);
  return storage::time_point{std::chrono::seconds{secs - offset}};
}

result<storage::time_point> time_field(const boost::json::object& body, std::string_view field,
                                       storage::time_point fallback) {
  auto text = find_string(body, field);
  if (!text) return fallback;
  return parse_time(*text, field);
}

result<bytes> code_bytes(std::string_view text, const codec::own_hosts& own) {
  auto b = codec::parse_own_code_text(text, own);
  if (!b) return ascii_only(b.error());
  return b;
}

result<std::int64_t> signed_code_id(std::string_view text, const codec::key_set& keys) {
  auto trimmed = text;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
  if (digits_only(trimmed) && trimmed.size() <= max_id_digits) {
    auto id = to_int64(trimmed);
    if (id && *id > 0) return *id;
    return codec::fail(bad_value, "\"code\" must be a code's URL, its digits or its id");
  }
  auto bytes = codec::parse_code_text(text);
  if (!bytes) return ascii_only(bytes.error());
  auto p = codec::verify_code(*bytes, keys);
  if (!p) return ascii_only(p.error());
  if (p->code_id > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return codec::fail(bad_value, "the code's id is out of range");
  return static_cast<std::int64_t>(p->code_id);
}

result<std::int64_t> code_reference(const boost::json::object& body, const codec::key_set& keys) {
  const auto& v = body.at("code");
  if (v.is_string()) return signed_code_id(v.get_string(), keys);
  // check_fields let through only a string or an integer in int64 range.
  const auto id = v.to_number<std::int64_t>();
  if (id <= 0) return codec::fail(bad_value, "\"code\" as an id must be a positive integer");
  return id;
}

result<std::optional<storage::idempotency>> idempotency_key(const request& req) {
  const auto key = req.fields.find("Idempotency-Key");
  if (!key) return std::nullopt;
  constexpr std::size_t max_key = 64;
  const bool printable =
      std::all_of(key->begin(), key->end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (key->empty() || key->size() > max_key || !printable)
    return codec::fail(codec::errc::bad_value, "the Idempotency-Key header must be 1 to " +
                                                   std::to_string(max_key) +
                                                   " printable ASCII characters");
  const std::string what = std::string(to_string(req.method)) + " " + req.target + "\n";
  const auto digest = storage::sha256(as_bytes(what), as_bytes(req.body));
  return storage::idempotency{std::string(*key), to_hex(digest)};
}

result<storage::stats_range> query_day_range(const request& req) {
  auto day = [&](std::string_view name, std::uint32_t fallback) -> result<std::uint32_t> {
    auto text = query_param(req, name);
    if (!text) return fallback;
    auto d = codec::parse_day(*text);
    if (!d) {
      auto e = codec::fail(bad_value, "\"" + std::string(name) + "\": " + d.error().message);
      e.detail = "period.day";
      e.args = {{"field", std::string(name)}};
      return e;
    }
    return d;
  };
  auto to = day("to", codec::today());
  if (!to) return to.error();
  auto from = day("from", *to >= 29 ? *to - 29 : 0);
  if (!from) return from.error();
  if (*from > *to) {
    auto e = codec::fail(bad_value, "\"from\" must not be later than \"to\"");
    e.detail = "period.backwards";
    return e;
  }
  const auto start = [](std::uint32_t d) { return storage::time_point{std::chrono::days{d}}; };
  return storage::stats_range{start(*from), start(*to + 1)};
}

}  // namespace coldtrace::server::api
