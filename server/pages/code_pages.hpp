// The pages about one code: /c/{digits}, the page a phone camera opens, and
// /poster/{digits}, the A5 counter poster (亮码) a retailer prints.
#pragma once

#include "server/pages/code_view.hpp"
#include "server/pages/renderer.hpp"

namespace coldtrace::server::pages {

// The verdict first, large and coloured, told to a buyer, with the code's seller to check and
// what to do; then the facts. No JavaScript unless `with_panel` (`?panel=inspector`): the
// script adds the inspector's panel for a signed-in inspector.
safe_html verify_page(const renderer& r, lang l, std::string_view digits, const code_view& view,
                      storage::time_point now, bool with_panel = false);

// The poster: a place for the code's QR (poster.js fills it for a signed-in unit that may
// print the label), the product, origin, tests, disinfection, holder, issue date and the day
// it is printed (`now`), filling one A5 page. Only for a code whose goods may be sold (valid).
safe_html poster_page(const renderer& r, lang l, std::string_view digits, const code_view& view,
                      storage::time_point now);

// Instead of the poster for a code that may not be sold (recalled, not released, …): why, and
// no printable poster.
safe_html poster_refused_page(const renderer& r, lang l, std::string_view digits,
                              const code_view& view);

// The facts shared by both: the lot's tests as a list, and its last disinfection.
safe_html tests_list(const renderer& r, lang l, const code_view& view);
std::string disinfection_text(const renderer& r, lang l, const code_view& view);

}  // namespace coldtrace::server::pages
