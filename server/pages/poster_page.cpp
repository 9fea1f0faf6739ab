#include "server/pages/code_pages.hpp"

namespace coldtrace::server::pages {
namespace {

// "3 samples, all negative", or how many were positive or are still pending.
std::string tests_summary(const renderer& r, lang l, const code_view& view) {
  const auto& tests = view.facts->tests;
  std::int64_t negative = 0, positive = 0, pending = 0;
  for (const auto& s : tests) {
    if (!s.outcome)
      ++pending;
    else if (*s.outcome == storage::test_outcome::positive)
      ++positive;
    else
      ++negative;
  }
  if (tests.empty()) return std::string{r.text(l, "none_yet")};
  std::string text = std::to_string(tests.size()) + std::string{r.text(l, "samples_unit")};
  if (positive == 0 && pending == 0) return text + std::string{r.text(l, "all_negative")};
  if (positive > 0) text += std::string{r.text(l, "positive_count")} + std::to_string(positive);
  if (pending > 0) text += std::string{r.text(l, "pending_count")} + std::to_string(pending);
  std::string last;
  for (const auto& s : tests)
    if (s.reported_at) last = day_text(*s.reported_at);
  return last.empty() ? text : text + " · " + last;
}

}  // namespace

safe_html poster_page(const renderer& r, lang l, std::string_view digits, const code_view& view) {
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
                       {"verdict_title", std::string{r.text(l, "verdict_title." + name)}}});
  return r.page(l, {.page = "poster",
                    .self_path = "/poster/" + std::string{digits},
                    .title = std::string{r.text(l, "poster_title")} + " · " + f.product,
                    .content = std::move(content),
                    .scripts = {"poster.js"},
                    .head = r.stylesheet("poster.css")});
}

}  // namespace coldtrace::server::pages
