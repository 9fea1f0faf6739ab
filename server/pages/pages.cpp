#include "server/pages/pages.hpp"

#include "server/answer_cache.hpp"
#include "server/pages/code_pages.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <string>

namespace coldtrace::server::pages {
namespace {

storage::time_point now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

response html_response(unsigned status, std::string page, bool camera = false) {
  response res;
  res.status = status;
  res.content_type = "text/html; charset=utf-8";
  res.body = std::move(page);
  add_security_headers(res, camera);
  // The language follows Accept-Language; a code's status is live, so revalidate each time.
  res.fields.set("Vary", "Accept-Language");
  res.fields.set("Cache-Control", "no-cache");
  return res;
}

response html_response(unsigned status, const safe_html& page, bool camera = false) {
  return html_response(status, page.str(), camera);
}

// The verification page's cache key: the language, the inspector's panel or not, the minute it
// says it was checked in, and the digits; the rest of the page follows from the ledger's answer for
// those digits.
std::string page_key(lang l, bool panel, storage::time_point at, std::string_view digits) {
  std::string key = l == lang::en ? "en:" : "zh:";
  if (panel) key += "panel:";
  key += std::to_string(std::chrono::floor<std::chrono::minutes>(at).time_since_epoch().count());
  key += ':';
  key += digits;
  return key;
}

// Who a /c/ request is, for the statistics: an inspector with the inspector's panel, else a
// shopper, unless it came from one of our own pages (a link in the console, the page's own
// language switch). A camera opening a printed code sends no Referer from this host.
std::optional<storage::scan_kind> page_scan_kind(const app& a, const request& req, bool panel) {
  if (panel) return storage::scan_kind::inspector;
  const auto referer = req.fields.find("Referer");
  if (!referer) return storage::scan_kind::consumer;
  std::string_view from = *referer;
  const auto scheme_end = from.find("://");
  if (scheme_end == std::string_view::npos) return storage::scan_kind::consumer;
  from.remove_prefix(scheme_end + 3);
  const auto authority = from.substr(0, from.find_first_of("/?#"));
  const auto host = authority.substr(
      0, authority.rfind(':') == std::string_view::npos ? authority.size() : authority.rfind(':'));
  const auto ours = [&](std::string_view h) { return !h.empty() && iequals(h, host); };
  const auto sent_to = req.fields.find("Host");
  if ((sent_to && iequals(*sent_to, authority)) || ours(a.public_host) ||
      std::any_of(a.extra_hosts.begin(), a.extra_hosts.end(), ours))
    return std::nullopt;
  return storage::scan_kind::consumer;
}

// A page whose content depends only on the language: rendered once for each at start-up.
struct fixed_page {
  std::array<safe_html, 2> by_lang;  // [zh, en]
  bool camera = false;
  response serve(const request& req) const {
    return html_response(200, by_lang[choose_lang(req) == lang::en ? 1 : 0], camera);
  }
};

fixed_page make_fixed(const renderer& r, std::string page, std::string path, bool camera = false) {
  fixed_page p;
  p.camera = camera;
  for (auto l : {lang::zh, lang::en}) {
    auto content = render_template(r.localized(page + ".html", l), {});
    std::vector<std::string> scripts;
    // A page's building blocks (page_lib.js), when it has them, before its wiring.
    if (r.assets().has(page + "_lib.js")) scripts.push_back(page + "_lib.js");
    if (r.assets().has(page + ".js")) scripts.push_back(page + ".js");
    // A part with a file of its own: the console's import of spreadsheets (issue 12).
    if (r.assets().has(page + "_import.js")) scripts.push_back(page + "_import.js");
    if (page == "scan") {
      // The inspection's vendor, expected stock and uncoded items (issue 10).
      scripts.push_back("scan_findings.js");
      // The decoder from npm is there when web/node_modules was at build time.
      if (r.assets().has("jsqr.js")) scripts.insert(scripts.begin(), "jsqr.js");
      scripts.insert(scripts.begin(), "offline.js");
    }
    // The statistics pages' dates and charts.
    if (page == "dashboard" || page == "report") scripts.insert(scripts.begin(), "charts.js");
    if (page == "console") {
      // The counter (issue 10) scans with the camera too.
      if (r.assets().has("jsqr.js")) scripts.insert(scripts.begin(), "jsqr.js");
      scripts.push_back("console_counter.js");
      // The holder's recall notices (issue 10).
      scripts.push_back("console_recall.js");
    }
    p.by_lang[l == lang::en ? 1 : 0] = r.page(
        l, {.page = page,
            .self_path = path,
            .title = std::string{r.text(l, "title." + page)},
            .content = std::move(content),
            .scripts = std::move(scripts),
            .head = r.assets().has(page + ".css") ? r.stylesheet(page + ".css") : safe_html{}});
  }
  return p;
}

}  // namespace

void install_pages(router& routes, metrics_registry& metrics, const app& a) {
  auto r = std::make_shared<const renderer>();
  auto view_counter = [&metrics](std::string_view page) -> counter& {
    return metrics.counter("coldtrace_page_views_total", "Pages served, by page",
                           {{"page", std::string{page}}});
  };

  auto& verify_views = view_counter("verify");
  auto cache = std::make_shared<answer_cache>(metrics, "page", a.answers);
  routes.add(verb::get, "/c/{digits}",
             [r, &a, &verify_views, cache](const request& req, context& ctx) -> result<response> {
               const auto digits = ctx.params["digits"];
               const auto at = now();
               const auto l = choose_lang(req);
               const bool panel = query_param(req, "panel") == "inspector";
               // Kept while the ledger commits nothing (answer_cache.hpp); still a verification.
               const auto key = page_key(l, panel, at, digits);
               const auto made = cache->now(a.ledger);
               const auto kind = page_scan_kind(a, req, panel);
               if (auto hit = cache->find(key, made)) {
                 if (kind) a.ledger.count_scan(at, *kind, hit->verdict, hit->code);
                 verify_views.inc();
                 return html_response(200, std::move(hit->body));
               }
               auto view = load_code_view(a, digits);
               if (!view) return view.error();
               verify_views.inc();
               if (kind)
                 a.ledger.count_scan(at, *kind, view->verdict,
                                     view->facts ? std::optional{view->facts->code} : std::nullopt);
               // Not ours at all: still a page with that verdict, but not a found resource.
               const unsigned status = view->facts || view->verdict == verdict::forged ? 200 : 404;
               auto res = html_response(status, verify_page(*r, l, digits, *view, at, panel));
               if (view->facts)
                 cache->store(key, made, {view->verdict, res.body, view->facts->code});
               return res;
             });

  auto& poster_views = view_counter("poster");
  routes.add(verb::get, "/poster/{digits}",
             [r, &a, &poster_views](const request& req, context& ctx) -> result<response> {
               const auto digits = ctx.params["digits"];
               const auto at = now();
               auto view = load_code_view(a, digits);
               if (!view) return view.error();
               const auto l = choose_lang(req);
               if (!view->facts) return html_response(404, verify_page(*r, l, digits, *view, at));
               // A poster says "sold under this code": none for goods that may not be sold.
               if (view->verdict != verdict::valid)
                 return html_response(409, poster_refused_page(*r, l, digits, *view));
               poster_views.inc();
               return html_response(200, poster_page(*r, l, digits, *view, at));
             });

  for (const auto& [page, path] :
       std::initializer_list<std::pair<std::string, std::string>>{{"index", "/"},
                                                                  {"scan", "/scan"},
                                                                  {"console", "/console"},
                                                                  {"dashboard", "/dashboard"},
                                                                  {"recalls", "/recalls"},
                                                                  {"findings", "/findings"},
                                                                  {"report", "/report"}}) {
    auto fixed = std::make_shared<const fixed_page>(
        make_fixed(*r, page, path, page == "scan" || page == "console"));
    auto& views = view_counter(page);
    routes.add(verb::get, path, [fixed, &views](const request& req, context&) {
      views.inc();
      return fixed->serve(req);
    });
  }

  routes.add(verb::get, "/assets/{name}", [r](const request& req, context& ctx) {
    return r->assets().serve(req, ctx.params["name"]);
  });
  // The scanner's service worker, at the root so that its scope may cover /scan.
  routes.add(verb::get, "/scan-sw.js",
             [r](const request& req, context&) { return r->assets().serve(req, "sw.js"); });
}

}  // namespace coldtrace::server::pages
