// The static files of web/ (styles, scripts, the npm QR decoder) served under /assets/, with
// an ETag from their content. Pages link them as /assets/<name>?v=<hash>: that URL changes
// with the content, so it may be cached for good; without ?v a client revalidates.
#pragma once

#include "server/http.hpp"

#include <map>
#include <string>
#include <string_view>

namespace coldtrace::server::pages {

class asset_store {
 public:
  asset_store();  // from the embedded files

  // Any embedded file, templates included; throws std::out_of_range if absent (a build defect).
  std::string_view file(std::string_view name) const;
  // The versioned URL of a served asset; throws std::out_of_range if absent.
  std::string url(std::string_view name) const;
  bool has(std::string_view name) const { return served_.contains(name); }

  // Adds a served file made at start-up (the strings as a script), owned by the store.
  void add(std::string name, std::string body);

  // GET /assets/{name}: 200, 304 on a matching If-None-Match, or 404.
  response serve(const request& req, std::string_view name) const;

 private:
  struct asset {
    std::string_view body;
    std::string content_type;
    std::string hash;  // hex, the first 16 digits of SHA-256 of the body
  };
  std::map<std::string, std::string_view, std::less<>> files_;
  std::map<std::string, asset, std::less<>> served_;
  std::map<std::string, std::string, std::less<>> owned_;  // bodies of added files
};

// What every page answer carries: a strict Content-Security-Policy (scripts and styles only
// from this origin, no inline script), nosniff, no referrer (a code URL is the code), no
// framing. `camera` allows the scanner's getUserMedia.
void add_security_headers(response& res, bool camera = false);

}  // namespace coldtrace::server::pages
