#include "server/pages/code_pages.hpp"

namespace coldtrace::server::pages {
namespace {

// `text` with {n} replaced by `n`.
std::string with_count(std::string_view text, std::int64_t n) {
  std::string out{text};
  if (const auto at = out.find("{n}"); at != std::string::npos)
    out.replace(at, 3, std::to_string(n));
  return out;
}

// "检测 3 份样品，全部阴性 · 2024-03-02", or "检测 3 份样品：阳性 1 份，2 份待出结果".
std::string tests_summary(const renderer& r, lang l, const code_view& view) {
  const auto& tests = view.facts->tests;
  if (tests.empty()) return std::string{r.text(l, "none_yet")};
  const auto n = static_cast<std::int64_t>(tests.size());
  std::int64_t positive = 0, pending = 0;
  for (const auto& s : tests) {
    if (!s.outcome)
      ++pending;
    else if (*s.outcome == storage::test_outcome::positive)
      ++positive;
  }
  std::string text;
  if (positive == 0 && pending == 0) {
    text = with_count(r.text(l, "samples_all_negative"), n);
  } else {
    text = with_count(r.text(l, "samples_tested"), n);
    if (positive > 0) text += with_count(r.text(l, "samples_positive"), positive);
    if (positive > 0 && pending > 0) text += r.text(l, "list_sep");
    if (pending > 0) text += with_count(r.text(l, "samples_pending"), pending);
  }
  std::string last;
  for (const auto& s : tests)
    if (s.reported_at) last = day_text(*s.reported_at);
  return last.empty() ? text : text + " · " + last;
}

}  // namespace

safe_html poster_page(const renderer& r, lang l, std::string_view digits, const code_view& view,
                      storage::time_point now) {
  const auto& f = *view.facts;
  const std::string name{to_string(view.verdict)};
  // A poster's QR is a label: the page carries none; poster.js fetches it with the token of a
  // unit that may print it (the holder, the issuing warehouse) or of an inspector.
  auto content =
      render_template(r.localized("poster.html", l),
                      {{"tone", std::string{verdict_tone(view.verdict)}},
                       {"code_id", std::to_string(f.code)},
                       {"product", f.product},
                       {"origin", country_text(f.origin, l)},
                       {"category", category_text(f.category, l)},
                       {"tests", tests_summary(r, l, view)},
                       {"disinfection", disinfection_text(r, l, view)},
                       {"holder", f.holder_name},
                       {"issue_date", day_text(f.issued_at)},
                       {"printed_on", day_text(now)},
                       {"verdict_title", std::string{r.text(l, "verdict_title." + name)}}});
  return r.page(l, {.page = "poster",
                    .self_path = "/poster/" + std::string{digits},
                    .title = std::string{r.text(l, "poster_title")} + " · " + f.product,
                    .content = std::move(content),
                    .scripts = {"poster.js"},
                    .head = r.stylesheet("poster.css")});
}

}  // namespace coldtrace::server::pages

namespace coldtrace::server::pages {

safe_html poster_refused_page(const renderer& r, lang l, std::string_view digits,
                              const code_view& view) {
  const std::string name{to_string(view.verdict)};
  auto content = render_template(
      r.localized("poster_refused.html", l),
      {{"tone", std::string{verdict_tone(view.verdict)}},
       {"verdict", name},
       {"verdict_title", std::string{r.text(l, "verdict_title." + name)}},
       {"verdict_sentence", std::string{r.text(l, "verdict." + name)}},
       {"verify_href", "/c/" + std::string{digits} + "?lang=" + std::string{lang_code(l)}}});
  return r.page(l, {.page = "poster",
                    .self_path = "/poster/" + std::string{digits},
                    .title = std::string{r.text(l, "poster_refused_title")},
                    .content = std::move(content),
                    .scripts = {},
                    .head = {}});
}

}  // namespace coldtrace::server::pages
