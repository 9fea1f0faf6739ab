// An inspection's findings (issue 10): a finding's photo (uploaded as the body, served only to
// regulators), the follow-up that closes it, and the bureau's list of open and overdue ones.
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/json_findings.hpp"
#include "server/api/requests_findings.hpp"
#include "server/api/routes.hpp"
#include "server/error.hpp"
#include "server/json.hpp"

#include <boost/json/array.hpp>

namespace coldtrace::server::api {
namespace {

using storage::actor;
namespace json = boost::json;

// The declared type of a photo: image/jpeg or image/png (parameters ignored). The ledger checks
// the bytes agree.
result<std::string> photo_type(const request& req) {
  const auto type = req.fields.find("Content-Type");
  std::string media = type ? std::string(type->substr(0, type->find(';'))) : std::string{};
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& ch : media) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (media == "image/jpeg" || media == "image/png") return media;
  return fail(errc::unsupported_media_type,
              "a photo is sent as the body with \"Content-Type: image/jpeg\" or \"image/png\"",
              "photo.media_type", {});
}

// POST /api/v1/findings/{id}/photo, the JPEG or PNG as the body.
result<response> add_photo(const env& e, const request& req, context& ctx) {
  auto by = authenticate(e.ledger(), req, ctx);
  if (!by) return by.error();
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto type = photo_type(req);
  if (!type) return type.error();
  if (req.body.size() > storage::max_photo_bytes)
    return fail(errc::body_too_large,
                "a photo is at most " + std::to_string(storage::max_photo_bytes / 1024) + " KiB",
                "photo.too_large", {{"max", std::to_string(storage::max_photo_bytes / 1024)}});
  storage::photo_request r{*id, std::move(*type), bytes(req.body.begin(), req.body.end())};
  auto f = e.ledger().attach_photo(e.as(*by), std::move(r));
  if (!f) return f.error();
  return json_response(201, to_json(*f));
}

result<response> get_photo(const env& e, const request&, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto p = e.ledger().finding_photo(by, *id);
  if (!p) return p.error();
  auto r = text_response(200, std::string(p->data.begin(), p->data.end()), p->media_type);
  r.fields.set("Cache-Control", "private, no-store");
  r.fields.set("X-Content-Type-Options", "nosniff");
  return r;
}

result<response> follow_up(const env& e, const request& req, context& ctx, const actor& by) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto r = decode_follow_up(req.body, *id);
  if (!r) return r.error();
  auto f = e.ledger().follow_up(e.as(by), std::move(*r));
  if (!f) return f.error();
  return json_response(200, to_json(*f));
}

// GET /api/v1/findings?state=open|overdue|closed|all&region=&unit=&after=&limit=
result<response> list_findings(const env& e, const request& req, context&, const actor& by) {
  auto p = query_page(req);
  if (!p) return p.error();
  auto q = query_findings(req, now());
  if (!q) return q.error();
  auto list = e.ledger().list_findings(by, std::move(*q), *p);
  if (!list) return list.error();
  json::array items;
  for (const auto& f : *list) items.push_back(to_json(f));
  const bool more = !list->empty() && static_cast<std::int64_t>(list->size()) >= p->limit;
  return json_response(200, json::object{{"findings", std::move(items)},
                                         {"next_after", more ? json::value(list->back().id)
                                                             : json::value(nullptr)}});
}

}  // namespace

void add_finding_routes(router& r, const env_ptr& e) {
  r.add(verb::get, "/api/v1/findings", authed(e, list_findings));
  r.add(
      verb::post, "/api/v1/findings/{id}/photo",
      [e](const request& req, context& ctx) { return add_photo(*e, req, ctx); }, blocking);
  r.add(verb::get, "/api/v1/findings/{id}/photo", authed(e, get_photo));
  r.add(verb::post, "/api/v1/findings/{id}/follow-up", authed(e, follow_up), blocking);
}

}  // namespace coldtrace::server::api
