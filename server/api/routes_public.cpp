// Public endpoints, no token: what a phone or an offline verifier needs. Labels are not here:
// they are for signed-in units (routes_labels.cpp).
#include "codec/code.hpp"
#include "codec/url.hpp"
#include "server/answer_cache.hpp"
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_records.hpp"
#include "server/api/requests.hpp"
#include "server/api/routes.hpp"
#include "server/json.hpp"
#include "storage/digest.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include <memory>

namespace coldtrace::server::api {
namespace {

response with_cache(response r, std::string_view policy) {
  r.fields.set("Cache-Control", std::string(policy));
  return r;
}

// Who is scanning, for the statistics: without a token a shopper; with one, an inspector or a
// unit's operator at its counter. Warehouse and admin accounts are the platform's own use:
// nothing to count. A token that names no live account is refused, not taken as a shopper's.
result<std::optional<storage::scan_kind>> scanner_of(const env& e, const request& req,
                                                     context& ctx) {
  if (!req.fields.find("Authorization")) return storage::scan_kind::consumer;
  auto by = authenticate(e.ledger(), req, ctx);
  if (!by) return by.error();
  switch (by->role) {
    case storage::account_role::inspector: return storage::scan_kind::inspector;
    case storage::account_role::unit_operator: return storage::scan_kind::counter;
    default: return std::optional<storage::scan_kind>{};
  }
}

// GET /api/v1/verify?code=<URL, digits or printed number>[&unit=<id>]. Forged, malformed and
// unknown codes are ordinary answers (200 with that verdict): a scan of a fake label is exactly
// what this is for. With `unit`, the code is judged as shown at that unit (an inspector's scan
// there): held by another, it is wrong_holder. The holder is in the public answer anyway.
// The answer for a code the ledger issued is kept, keyed by the text as sent (and the unit),
// until the ledger commits anything (answer_cache.hpp); a hit is counted as a scan too.
result<response> verify(const env& e, answer_cache& cache, const request& req, context& ctx) {
  auto text = query_param(req, "code");
  if (!text)
    return codec::fail(codec::errc::bad_value,
                       "the query parameter \"code\" is required: a code's URL, its digits or "
                       "the number printed under its QR symbol");
  auto unit = query_integer(req, "unit", 1, std::numeric_limits<std::int64_t>::max());
  if (!unit) return unit.error();
  const auto kind = scanner_of(e, req, ctx);
  if (!kind) return kind.error();
  // The public answer and each unit's are kept apart: "p <text>", "u<unit> <text>".
  const std::string key = (*unit ? "u" + std::to_string(**unit) : std::string{"p"}) + " " + *text;
  const auto at = now();
  const auto made = cache.now(e.ledger());
  // The status is live (a recall changes it at once): no other cache may keep it.
  if (auto hit = cache.find(key, made)) {
    if (*kind) e.ledger().count_scan(at, **kind, hit->verdict, hit->code);
    e.count_verification(hit->verdict);
    return with_cache(text_response(200, std::move(hit->body), "application/json"), "no-store");
  }
  storage::verification v;
  if (const auto s = scanned(*text, e.own_hosts); s.number || s.foreign_host || !s.raw.empty()) {
    auto r = e.a.verify(s, *unit);
    if (!r) return r.error();
    v = std::move(*r);
  } else {
    v.verdict = verdict::malformed;
  }
  if (*kind)
    e.ledger().count_scan(at, **kind, v.verdict,
                          v.facts ? std::optional{v.facts->code} : std::nullopt);
  e.count_verification(v.verdict);
  // The miss path: its few dozen JSON nodes come from one arena instead of the heap.
  unsigned char arena[8192];
  json::monotonic_resource mr(arena, sizeof arena);
  auto res = json_response(200, to_json(v, &mr));
  // Only codes we issued: the rest are cheap to answer, and would only crowd the cache.
  if (v.facts) cache.store(key, made, {v.verdict, res.body, v.facts->code});
  return with_cache(std::move(res), "no-store");
}

response keys(const env& e) {
  return with_cache(text_response(200, e.keys()->published.to_jwks(), "application/json"),
                    "public, max-age=300");
}

std::string_view blocked_status(coldtrace::verdict v) {
  switch (v) {
    case coldtrace::verdict::recalled: return "recalled";
    case coldtrace::verdict::quarantined: return "quarantined";
    default: return "held";
  }
}

// GET /api/v1/blocked: the lots offline verifiers must refuse, signed so that a phone can trust
// a copy it got from anywhere. The signature covers exactly the payload's bytes, which travel
// base64url-encoded so no JSON re-serialisation can change them. The payload says when it was
// made and the highest lot and code ids it covers: offline, a code beyond them or a list too
// old is "genuine, status not confirmed", never valid (docs/code-format.md).
// A recall must reach verifiers at once, so no cache may serve the list without asking:
// no-cache, with an ETag over what the list says (not when it was made), 304 when unchanged.
result<response> blocked(const env& e, const request& req) {
  auto list = e.ledger().blocked();
  if (!list) return list.error();
  json::array entries;
  for (const auto& p : list->entries)
    entries.push_back(
        {{"lot", p.root_lot}, {"path", to_hex(p.prefix)}, {"status", blocked_status(p.reason)}});
  const auto keys = e.keys();
  const auto kid = codec::kid_text(keys->signing->kid());
  json::object covered{{"kid", kid},
                       {"last_lot", list->last_lot},
                       {"last_code", list->last_code},
                       {"entries", std::move(entries)}};
  const auto digest = storage::sha256(as_bytes(json::serialize(covered)));
  const std::string etag = "\"" + to_hex(bytes_view{digest.data(), 16}) + "\"";
  if (auto inm = req.fields.find("If-None-Match");
      inm && (inm->find(etag) != std::string_view::npos || *inm == "*")) {
    response r;
    r.status = 304;
    r.fields.set("ETag", etag);
    return with_cache(std::move(r), "no-cache");
  }
  covered.emplace("issued_at", iso_time(now()));
  const std::string payload = json::serialize(covered);
  auto signature = keys->signing->sign(as_bytes(payload));
  if (!signature) return signature.error();
  auto r = json_response(200, json::object{{"payload", base64url_encode(as_bytes(payload))},
                                           {"kid", kid},
                                           {"signature", base64url_encode(*signature)}});
  r.fields.set("ETag", etag);
  return with_cache(std::move(r), "no-cache");
}

// GET /api/v1/audit/checkpoint: the latest signed chain head, for anyone keeping checkpoints
// to hold the bureau's history to account (docs/audit.md). The JWKS verifies its signature.
result<response> checkpoint(const env& e) {
  auto c = e.ledger().latest_checkpoint();
  if (!c) return c.error();
  return with_cache(text_response(200, storage::to_json(*c), "application/json"), "no-cache");
}

}  // namespace

void add_public_routes(router& r, const env_ptr& e, metrics_registry& m) {
  auto cache = std::make_shared<answer_cache>(m, "verify", e->a.answers);
  r.add(verb::get, "/api/v1/verify",
        [e, cache](const request& req, context& ctx) { return verify(*e, *cache, req, ctx); });
  r.add(verb::get, "/api/v1/keys", [e](const request&, context&) { return keys(*e); });
  r.add(verb::get, "/.well-known/jwks.json", [e](const request&, context&) { return keys(*e); });
  r.add(verb::get, "/api/v1/audit/checkpoint",
        [e](const request&, context&) { return checkpoint(*e); });
  r.add(verb::get, "/api/v1/blocked",
        [e](const request& req, context&) { return blocked(*e, req); });
}

}  // namespace coldtrace::server::api
