// Pages in the shared layout: the templates of web/pages localized once per language at
// start-up, the strings as a script for the enhancements, the versioned asset URLs.
#pragma once

#include "server/pages/assets.hpp"
#include "server/pages/html.hpp"
#include "server/pages/lang.hpp"

#include <array>
#include <string>
#include <vector>

namespace coldtrace::server::pages {

struct page_spec {
  std::string page;       // a name for the body class: "verify"
  std::string self_path;  // this page's path without the query, for the language switch
  std::string title;
  safe_html content;
  std::vector<std::string> scripts;  // asset names; the strings and common.js come first
  safe_html head;                    // more <head> markup, e.g. another stylesheet
};

class renderer {
 public:
  renderer();  // throws if an embedded file is missing or malformed: a build defect

  const asset_store& assets() const { return assets_; }
  std::string_view text(lang l, std::string_view key) const { return strings_.get(l, key); }

  // A web/pages template with its {{t.key}} strings filled in for `l`.
  const std::string& localized(std::string_view name, lang l) const;

  // The whole document: layout, content, scripts.
  safe_html page(lang l, const page_spec& spec) const;

  // <link rel=stylesheet> for an asset, for page_spec::head.
  safe_html stylesheet(std::string_view asset) const;

 private:
  asset_store assets_;
  strings strings_;
  std::map<std::string, std::array<std::string, 2>, std::less<>> templates_;  // [zh, en]
};

}  // namespace coldtrace::server::pages
