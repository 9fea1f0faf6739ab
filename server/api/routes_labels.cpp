// Labels: the QR symbol of a code's URL, as SVG or PNG. A label is a genuine code anyone can
// print, so it goes only to a signed-in unit that may print it — the code's holder, the unit
// that issued it (the lot's warehouse, or the dispatcher of a split), inspectors and admins:
// exactly who may read the code (ledger::get_code). Anyone else gets the 404 of a missing code.
// Rendering runs on the blocking pool, and each label is rendered once (label_cache).
#include "codec/qr.hpp"
#include "codec/url.hpp"
#include "server/api/auth.hpp"
#include "server/api/decode.hpp"
#include "server/api/label_cache.hpp"
#include "server/api/routes.hpp"

namespace coldtrace::server::api {
namespace {

constexpr int max_label_px = 32;
// Thousands of labels; a PNG at the largest size is some tens of kilobytes.
constexpr std::size_t cache_bytes = 32u << 20;

struct labels {
  label_cache cache{cache_bytes};
  counter* rendered = nullptr;
  counter* hits = nullptr;
};

result<label_cache::image> render(const env& e, const storage::code_record& code, int module_px,
                                  bool png) {
  auto url = codec::make_code_url(e.a.public_host, code.signed_code);
  if (!url) return url.error();
  auto qr = codec::encode_qr(*url);
  if (!qr) return qr.error();
  if (!png) return std::make_shared<const std::string>(codec::render_svg(*qr, module_px));
  auto image = codec::render_png(*qr, module_px);
  if (!image) return image.error();
  return std::make_shared<const std::string>(image->begin(), image->end());
}

// GET /api/v1/codes/{id}/label.svg|png[?px=N]
result<response> label(const env& e, labels& l, const request& req, context& ctx,
                       const storage::actor& by, bool png) {
  auto id = path_id(ctx);
  if (!id) return id.error();
  auto px = query_integer(req, "px", 1, max_label_px);
  if (!px) return px.error();
  // The read decides who may have it, every time: the cache is consulted only after.
  auto code = e.ledger().get_code(by, *id);
  if (!code) return code.error();
  const label_cache::key k{*id, static_cast<int>(px->value_or(8)), png};
  auto image = l.cache.find(k);
  if (image) {
    l.hits->inc();
  } else {
    auto made = render(e, *code, k.module_px, png);
    if (!made) return made.error();
    image = std::move(*made);
    l.rendered->inc();
    l.cache.put(k, image);
  }
  auto r = text_response(200, *image, png ? "image/png" : "image/svg+xml");
  // A code's bytes never change, so neither does its label; but it is this caller's only.
  r.fields.set("Cache-Control", "private, max-age=86400");
  return r;
}

}  // namespace

void add_label_routes(router& r, const env_ptr& e, metrics_registry& m) {
  auto l = std::make_shared<labels>();
  l->rendered = &m.counter("coldtrace_label_renders_total", "Labels rendered (cache misses)");
  l->hits = &m.counter("coldtrace_label_cache_hits_total", "Labels served from the cache");
  for (const bool png : {false, true}) {
    r.add(
        verb::get, png ? "/api/v1/codes/{id}/label.png" : "/api/v1/codes/{id}/label.svg",
        [e, l, png](const request& req, context& ctx) -> result<response> {
          auto by = authenticate(e->ledger(), req, ctx);
          if (!by) return by.error();
          return label(*e, *l, req, ctx, *by, png);
        },
        blocking);
  }
}

}  // namespace coldtrace::server::api
