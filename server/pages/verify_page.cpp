#include "server/pages/code_pages.hpp"

namespace coldtrace::server::pages {
namespace {

std::string_view mark_of(std::string_view tone) {
  if (tone == "ok") return "✓";
  if (tone == "warn") return "!";
  return "✕";
}

safe_html recall_note(const renderer& r, lang l, const storage::code_facts& f) {
  if (!f.recalled_at) return {};
  std::string text{r.text(l, "recalled_on")};
  text += " " + day_text(*f.recalled_at);
  if (!f.recall_reason.empty()) text += " — " + f.recall_reason;
  return element("p", text, {{"class", "recall-note"}});
}

// "Call 12315", the number a link a phone dials (tel:).
safe_html call_12315(const renderer& r, lang l, std::string_view key) {
  safe_html out = safe_html::escaped(std::string{r.text(l, key)} + " ");
  out += element("a", "12315", {{"href", "tel:12315"}, {"class", "tel"}});
  return out;
}

// What a buyer should do beyond the verdict's sentence: on a recall or a positive test, stop
// eating it, keep the packaging, return it, call 12315; on any other bad answer, report a shop
// that still sells it.
safe_html buyer_advice(const renderer& r, lang l, coldtrace::verdict v) {
  if (v == verdict::valid || v == verdict::malformed) return {};
  if (v == verdict::recalled || v == verdict::quarantined) {
    safe_html items;
    for (const auto* key : {"advice.stop_eating", "advice.keep_packaging", "advice.return"})
      items += element("li", r.text(l, key));
    items += element("li", call_12315(r, l, "advice.call"));
    safe_html out = element("h2", r.text(l, "advice_title"), {{"id", "advice-title"}});
    out += element("ol", items);
    return element("section", out, {{"class", "advice"}, {"aria-labelledby", "advice-title"}});
  }
  return element("p", call_12315(r, l, "advice.report"), {{"class", "advice"}});
}

// "本码销售单位：X，请核对": the holder of this code (a public fact, DESIGN §3), so a buyer sees a
// label shown by a shop other than the one it was dispatched to.
safe_html holder_line(const renderer& r, lang l, const code_view& view) {
  if (!view.facts) return {};
  std::string text{r.text(l, "holder_check")};
  const std::string mark = "{holder}";
  text.replace(text.find(mark), mark.size(), view.facts->holder_name);
  return element("p", text, {{"class", "verdict-holder"}});
}

// The way to the inspector's panel (it needs the script), for a code we issued.
safe_html inspector_link(const renderer& r, lang l, std::string_view digits, const code_view& view,
                         bool panel_shown) {
  if (!view.facts || panel_shown) return {};
  const std::string href =
      "/c/" + std::string{digits} + "?panel=inspector&lang=" + std::string{lang_code(l)};
  return element("p", element("a", r.text(l, "inspector_link"), {{"href", href}}),
                 {{"class", "hint"}});
}

safe_html facts_section(const renderer& r, lang l, const code_view& view) {
  const auto& f = *view.facts;
  const std::string none{r.text(l, "none_yet")};
  return render_template(r.localized("facts.html", l),
                         {{"product", f.product},
                          {"category", category_text(f.category, l)},
                          {"origin", country_text(f.origin, l)},
                          {"warehouse", f.warehouse_name},
                          {"intake_date", day_text(f.intake_at)},
                          {"release_date", f.released_at ? day_text(*f.released_at) : none},
                          {"disinfection", disinfection_text(r, l, view)},
                          {"holder", f.holder_name},
                          {"issue_date", day_text(f.issued_at)},
                          {"recall", recall_note(r, l, f)},
                          {"tests", tests_list(r, l, view)}});
}

}  // namespace

safe_html tests_list(const renderer& r, lang l, const code_view& view) {
  const auto& tests = view.facts->tests;
  if (tests.empty()) return element("p", r.text(l, "none_yet"));
  safe_html items;
  for (const auto& s : tests) {
    const std::string type{r.text(l, "sample_type." + std::string{to_string(s.type)})};
    if (!s.outcome || !s.reported_at) {
      safe_html li = element("span", r.text(l, "outcome.pending"), {{"class", "pending"}});
      li += safe_html::escaped(" " + type + " · " + day_text(s.collected_at));
      items += element("li", li, {{"class", "test"}});
      continue;
    }
    const std::string outcome{to_string(*s.outcome)};
    safe_html li = element("span", r.text(l, "outcome." + outcome), {{"class", outcome}});
    li += safe_html::escaped(" " + type + " · " + s.lab + " · " + day_text(*s.reported_at));
    items += element("li", li, {{"class", "test"}});
  }
  return element("ul", items, {{"class", "tests"}});
}

std::string disinfection_text(const renderer& r, lang l, const code_view& view) {
  const auto& f = *view.facts;
  if (!f.last_disinfection_at) return std::string{r.text(l, "none_yet")};
  return day_text(*f.last_disinfection_at) + " · " + f.last_disinfection_agent;
}

safe_html verify_page(const renderer& r, lang l, std::string_view digits, const code_view& view,
                      storage::time_point now, bool with_panel) {
  const std::string name{to_string(view.verdict)};
  const auto tone = verdict_tone(view.verdict);
  const std::string title{r.text(l, "verdict_title." + name)};
  // A path made of digits only goes back into the page; anything else is not a code anyway.
  const bool digits_only =
      !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
  auto content = render_template(
      r.localized("verify.html", l),
      {{"tone", std::string{tone}},
       {"mark", std::string{mark_of(tone)}},
       {"verdict", name},
       {"verdict_title", title},
       {"verdict_sentence", std::string{r.text(l, "verdict_buyer." + name)}},
       {"holder_line", holder_line(r, l, view)},
       {"advice", buyer_advice(r, l, view.verdict)},
       {"inspector_link", inspector_link(r, l, digits, view, with_panel && digits_only)},
       {"checked_at", minute_text(now)},
       {"facts", view.facts ? facts_section(r, l, view) : safe_html{}}});
  // A consumer gets no script at all; the inspector's panel (verify.js) is sent only when asked
  // for, by the link at the foot of the page, since a token lives in the tab, not a cookie.
  std::vector<std::string> scripts;
  if (with_panel && digits_only) scripts.push_back("verify.js");
  return r.page(l, {.page = "verify",
                    .self_path = digits_only ? "/c/" + std::string{digits} : "/",
                    .title = title,
                    .content = std::move(content),
                    .scripts = std::move(scripts),
                    .head = {}});
}

}  // namespace coldtrace::server::pages
