// The pages about one code: /c/{digits}, the page a phone camera opens, and
// /poster/{digits}, the A5 counter poster (亮码) a retailer prints.
#pragma once

#include "server/pages/code_view.hpp"
#include "server/pages/renderer.hpp"

namespace coldtrace::server::pages {

// The verdict first, large and coloured, then the facts. Readable without JavaScript; the
// scripts only add the inspector's panel.
safe_html verify_page(const renderer& r, lang l, std::string_view digits, const code_view& view,
                      storage::time_point now);

// The poster: a place for the code's QR (poster.js fills it for a signed-in unit that may
// print the label), the product, origin, tests, disinfection, holder and issue date, for one
// A5 page.
safe_html poster_page(const renderer& r, lang l, std::string_view digits, const code_view& view);

// The facts shared by both: the lot's tests as a list, and its last disinfection.
safe_html tests_list(const renderer& r, lang l, const code_view& view);
std::string disinfection_text(const renderer& r, lang l, const code_view& view);

}  // namespace coldtrace::server::pages
