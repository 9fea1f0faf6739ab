#include "codec/offline.hpp"

#include "codec/day.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace coldtrace::codec {
namespace {

namespace json = boost::json;

error bad_list(std::string what) {
  return fail(errc::bad_value, "the block list " + std::move(what) +
                                   "; use the JSON exactly as GET /api/v1/blocked serves it");
}

std::string_view text_of(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  const auto* s = v ? v->if_string() : nullptr;
  return s ? std::string_view(*s) : std::string_view();
}

std::optional<std::uint64_t> id_of(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v) return std::nullopt;
  if (const auto* u = v->if_uint64()) return *u;
  if (const auto* i = v->if_int64(); i && *i >= 0) return static_cast<std::uint64_t>(*i);
  return std::nullopt;
}

std::optional<verdict> status_of(std::string_view s) {
  if (s == "recalled") return verdict::recalled;
  if (s == "quarantined") return verdict::quarantined;
  if (s == "held") return verdict::not_released;
  return std::nullopt;
}

result<block_list> parse_payload(std::string_view text) {
  boost::system::error_code ec;
  auto doc = json::parse(text, ec);
  const auto* o = ec ? nullptr : doc.if_object();
  if (!o) return bad_list("payload is not a JSON object");
  block_list out;
  auto issued = parse_time(text_of(*o, "issued_at"));
  if (!issued) return bad_list("payload has no valid \"issued_at\"");
  out.issued_at = *issued;
  auto last_lot = id_of(*o, "last_lot");
  auto last_code = id_of(*o, "last_code");
  // A list without them comes from a server before they existed: it covers nothing for sure.
  if (!last_lot || !last_code)
    return bad_list("payload has no \"last_lot\" and \"last_code\" (it is from an older server)");
  out.last_lot = *last_lot;
  out.last_code = *last_code;
  const auto* entries = o->if_contains("entries");
  if (!entries || !entries->is_array()) return bad_list("payload has no \"entries\" array");
  for (const auto& v : entries->get_array()) {
    const auto* e = v.if_object();
    block_entry entry;
    auto lot = e ? id_of(*e, "lot") : std::nullopt;
    auto status = e ? status_of(text_of(*e, "status")) : std::nullopt;
    if (!lot || !status || !from_hex(text_of(*e, "path"), entry.path))
      return bad_list("has an entry that is not {lot, path, status}");
    entry.lot = *lot;
    entry.status = *status;
    out.entries.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

result<block_list> read_block_list(std::string_view signed_json, const key_set& keys) {
  boost::system::error_code ec;
  auto doc = json::parse(signed_json, ec);
  const auto* o = ec ? nullptr : doc.if_object();
  if (!o) return bad_list("is not JSON");
  bytes payload, signature, kid;
  if (!base64url_decode(text_of(*o, "payload"), payload) ||
      !base64url_decode(text_of(*o, "signature"), signature) ||
      !base64url_decode(text_of(*o, "kid"), kid) || kid.size() != 4)
    return bad_list("has no base64url \"payload\", \"kid\" and \"signature\"");
  kid_t k{};
  std::copy(kid.begin(), kid.end(), k.begin());
  const auto* key = keys.find(k);
  if (!key)
    return fail(errc::bad_signature, "the block list is signed with key " +
                                         std::string(text_of(*o, "kid")) +
                                         ", which the published keys do not hold");
  if (!verify_signature(*key, payload, signature))
    return fail(errc::bad_signature,
                "the block list's signature does not verify: it was altered or is not ours");
  return parse_payload(
      std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()));
}

std::string_view to_string(unconfirmed u) {
  switch (u) {
    case unconfirmed::no: return "confirmed";
    case unconfirmed::no_list: return "no_list";
    case unconfirmed::beyond_list: return "beyond_list";
    case unconfirmed::list_too_old: return "list_too_old";
    case unconfirmed::label: return "label";
  }
  return "?";
}

offline_answer check_offline(const payload& code, const block_list* list, seconds_time now,
                             std::chrono::seconds max_age) {
  offline_answer a;
  if (!list) return a;
  a.confirmed_at = list->issued_at;
  // Its signature proves only that the platform printed it, not which goods it now marks.
  if (code.is_label()) {
    a.why = unconfirmed::label;
    return a;
  }
  // What the list names stays refused however old the list: that errs on the safe side.
  for (const auto& e : list->entries) {
    if (e.lot == code.root_lot && code.split_path.size() >= e.path.size() &&
        std::equal(e.path.begin(), e.path.end(), code.split_path.begin())) {
      a.verdict = e.status;
      a.why = unconfirmed::no;
      return a;
    }
  }
  if (code.root_lot > list->last_lot || code.code_id > list->last_code) {
    a.why = unconfirmed::beyond_list;
  } else if (now - list->issued_at > max_age) {
    a.why = unconfirmed::list_too_old;
  } else {
    a.verdict = verdict::valid;
    a.why = unconfirmed::no;
  }
  return a;
}

std::string format_time(seconds_time t) {
  const auto secs = t.time_since_epoch().count();
  const auto day = static_cast<std::uint32_t>(secs / 86400);
  const auto s = secs % 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(s / 3600),
                static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  return format_day(day) + buf;
}

result<seconds_time> parse_time(std::string_view t) {
  auto bad = [&] {
    return fail(errc::bad_value,
                "\"" + std::string(t) + "\" is not a UTC time like 2026-01-01T08:00:00Z");
  };
  if (t.size() != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') return bad();
  auto day = parse_day(t.substr(0, 10));
  if (!day) return bad();
  int part[3] = {};
  for (int i = 0; i < 3; ++i) {
    const char a = t[11 + 3 * i], b = t[12 + 3 * i];
    if (a < '0' || a > '9' || b < '0' || b > '9') return bad();
    part[i] = (a - '0') * 10 + (b - '0');
  }
  if (part[0] > 23 || part[1] > 59 || part[2] > 59) return bad();
  return seconds_time{
      std::chrono::seconds{std::int64_t{*day} * 86400 + part[0] * 3600 + part[1] * 60 + part[2]}};
}

}  // namespace coldtrace::codec
