// The pages in process, through router::dispatch (no socket, no browser): escaping, the
// language choice, the verification page and poster on a real ledger, headers and assets.
#include "server/pages/pages.hpp"
#include "codec/code.hpp"
#include "codec/digits.hpp"
#include "server/metrics.hpp"
#include "server/pages/html.hpp"
#include "server/pages/lang.hpp"
#include "tests/storage/fixture.hpp"

namespace coldtrace::server::pages {
namespace {

using storage::test::fixture;
using storage::test::must;

struct served {
  fixture f;
  metrics_registry metrics;
  router routes;
  key_ring ring{key_snapshot{f.key, f.keys}};
  app a{*f.ledger, ring, "trace.example.gov.cn", {}};
  served() { install_pages(routes, metrics, a); }

  response get(std::string target, std::vector<std::pair<std::string, std::string>> fields = {}) {
    request req;
    req.target = std::move(target);
    for (auto& [n, v] : fields) req.fields.add(n, v);
    context ctx(metrics);
    return routes.dispatch(req, ctx);
  }
};

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("escape() makes text safe in elements and in either quoted attribute", "[pages]") {
  CHECK(escape(R"(<a href="x" title='y'>&amp;</a>)") ==
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  CHECK(escape("智利车厘子 JJ级") == "智利车厘子 JJ级");
}

TEST_CASE("templates escape strings, insert safe_html as it is, and refuse unknown names",
          "[pages]") {
  auto out = render_template("<p title=\"{{a}}\">{{b}}</p>",
                             {{"a", std::string{"\"><script>"}}, {"b", element("em", "x<y")}});
  CHECK(out.str() == "<p title=\"&quot;&gt;&lt;script&gt;\"><em>x&lt;y</em></p>");
  CHECK_THROWS_AS(render_template("{{missing}}", {}), std::logic_error);
}

TEST_CASE("the language: ?lang first, then Accept-Language by q-value, then zh-CN", "[pages]") {
  auto [header, expected] = GENERATE(table<std::string, lang>({
      {"", lang::zh},
      {"en-US,en;q=0.9", lang::en},
      {"zh-CN,zh;q=0.9,en;q=0.8", lang::zh},
      {"en;q=0.5, zh;q=0.6", lang::zh},
      {"fr-FR, en;q=0.3", lang::en},
      {"de, fr", lang::zh},
      {"zh-Hant-TW", lang::zh},
      {"english", lang::zh},  // not the tag "en"
      {"en;q=abc", lang::en},
  }));
  CAPTURE(header);
  CHECK(lang_from_accept_language(header) == expected);
  request req;
  req.target = "/c/1?lang=zh";
  req.fields.add("Accept-Language", "en");
  CHECK(choose_lang(req) == lang::zh);
}

TEST_CASE("the verification page", "[pages]") {
  served s;
  auto r = s.f.import_request();
  r.product = R"x(<img src=x onerror="alert(1)">三文鱼)x";
  auto in = must(s.f.ledger->intake(s.f.as(s.f.warehouse), r));
  const std::string digits = codec::to_digits(in.code.signed_code);

  SECTION("a held lot: not released, its facts escaped, the page locked down") {
    auto res = s.get("/c/" + digits);
    CHECK(res.status == 200);
    CHECK(res.content_type == "text/html; charset=utf-8");
    CHECK(contains(res.body, "data-verdict=\"not_released\""));
    CHECK(contains(res.body, "未放行：此批次尚未检测放行，不应出售。请勿购买。"));
    CHECK(contains(res.body, "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;三文鱼"));
    CHECK_FALSE(contains(res.body, "<img src=x"));
    CHECK(contains(*res.fields.find("Content-Security-Policy"), "script-src 'self';"));
    CHECK(*res.fields.find("X-Content-Type-Options") == "nosniff");
    CHECK(*res.fields.find("Referrer-Policy") == "same-origin");
  }
  SECTION("released: valid, with each test's lab, in English on request") {
    s.f.clear_for_release(in.lot.id);
    must(s.f.ledger->release(s.f.as(s.f.warehouse), in.lot.id));
    auto res = s.get("/c/" + digits, {{"Accept-Language", "en-GB,en;q=0.9"}});
    CHECK(contains(res.body, "<html lang=\"en\">"));
    CHECK(contains(res.body, "Valid: the platform verified this code"));
    CHECK(contains(res.body, "上海市疾控中心"));
    CHECK(contains(res.body, "Chile"));
  }
  SECTION("a forged copy and a malformed code still get a page with their verdict") {
    std::string forged = digits;
    forged.back() = forged.back() == '9' ? '0' : static_cast<char>(forged.back() + 1);
    auto res = s.get("/c/" + forged);
    CHECK(res.status == 200);
    CHECK(contains(res.body, "data-verdict=\"forged\""));
    CHECK_FALSE(contains(res.body, "三文鱼"));
    // A code id never issued, signed with a key the platform does not publish: forged too.
    auto p = codec::read_code(in.code.signed_code).value();
    p.code_id = 9'999'999;
    const auto stranger = codec::signing_key::generate().value();
    auto unissued = s.get("/c/" + codec::to_digits(codec::issue_code(p, stranger).value()));
    CHECK(unissued.status == 200);
    CHECK(contains(unissued.body, "data-verdict=\"forged\""));
    auto bad = s.get("/c/12x%3Cscript%3E");
    CHECK(bad.status == 404);
    CHECK(contains(bad.body, "data-verdict=\"malformed\""));
    CHECK_FALSE(contains(bad.body, "<script>"));
  }
  SECTION(
      "the poster: no QR in the page (a label is for those who may print it), and no poster "
      "for a code that is not ours, nor for goods that may not be sold") {
    auto held = s.get("/poster/" + digits);
    CHECK(held.status == 409);
    CHECK(contains(held.body, "此码不能打印亮码海报"));
    CHECK_FALSE(contains(held.body, "data-code="));
    s.f.clear_for_release(in.lot.id);
    must(s.f.ledger->release(s.f.as(s.f.warehouse), in.lot.id));
    auto res = s.get("/poster/" + digits + "?lang=en");
    CHECK(res.status == 200);
    CHECK_FALSE(contains(res.body, "<svg"));
    CHECK(contains(res.body, "data-code=\"" + std::to_string(in.code.id) + "\""));
    CHECK(contains(res.body, "/assets/poster.css?v="));
    CHECK(s.get("/poster/123").status == 404);
  }
  SECTION("the public page shows this code's holder, not its suppliers nor any quantity") {
    s.f.clear_for_release(in.lot.id);
    must(s.f.ledger->release(s.f.as(s.f.warehouse), in.lot.id));
    auto mid = s.f.hand_over(in.code.id, s.f.warehouse, s.f.wholesaler, 30'000);
    auto shop = s.f.hand_over(mid.id, s.f.wholesaler, s.f.shop, 12'500);
    auto res = s.get("/c/" + codec::to_digits(shop.signed_code));
    CHECK(contains(res.body, "data-verdict=\"valid\""));
    CHECK(contains(res.body, s.f.ledger->get_unit(s.f.shop_unit).value().name));
    CHECK_FALSE(contains(res.body, s.f.ledger->get_unit(s.f.wholesaler_unit).value().name));
    CHECK_FALSE(contains(res.body, " kg"));
    CHECK(contains(res.body, "上海市疾控中心"));
  }
}

TEST_CASE("assets: versioned URLs cached for good, ETags revalidated", "[pages]") {
  served s;
  auto page = s.get("/scan");
  const auto at = page.body.find("/assets/site.css?v=");
  REQUIRE(at != std::string::npos);
  const auto url = page.body.substr(at, page.body.find('"', at) - at);
  auto css = s.get(url);
  CHECK(css.status == 200);
  CHECK(css.content_type == "text/css; charset=utf-8");
  CHECK(*css.fields.find("Cache-Control") == "public, max-age=31536000, immutable");
  const std::string etag{*css.fields.find("ETag")};
  CHECK(s.get("/assets/site.css", {{"If-None-Match", etag}}).status == 304);
  CHECK(*s.get("/assets/site.css").fields.find("Cache-Control") == "no-cache");
  CHECK(s.get("/assets/i18n.json").status == 404);  // templates and strings stay inside
  CHECK(s.get("/assets/layout.html").status == 404);
  CHECK(contains(page.body, "/assets/jsqr.js?v="));
  CHECK(contains(*page.fields.find("Permissions-Policy"), "camera=(self)"));
}

}  // namespace
}  // namespace coldtrace::server::pages
