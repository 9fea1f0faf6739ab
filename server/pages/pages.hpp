// The pages people use, served by coldtrace itself (no CDN, no external request), zh-CN
// first and English via ?lang=en or Accept-Language:
//   /c/{digits}       the verification page a phone camera opens (works without JavaScript)
//   /poster/{digits}  the printable A5 counter poster (亮码)
//   /scan             the inspector's scanner (camera, offline verification)
//   /console          the operator console (token login; warehouse and downstream units)
//   /dashboard        the statistics as charts, for inspectors and admins
//   /report           the bureau's periodic report, printable on A4, with its XLSX
//   /                 links to the above
//   /assets/{name}    styles, scripts and the QR decoder, embedded at build time
#pragma once

#include "server/app.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"

namespace coldtrace::server::pages {

// Adds the routes. `a` must outlive the router. Throws std::logic_error if an embedded
// template is broken (a build defect), before anything is served.
void install_pages(router& routes, metrics_registry& metrics, const app& a);

}  // namespace coldtrace::server::pages

namespace coldtrace::server {
using pages::install_pages;
}  // namespace coldtrace::server
