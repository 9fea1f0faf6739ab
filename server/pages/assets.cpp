#include "server/pages/assets.hpp"

#include "codec/bytes.hpp"
#include "server/pages/embedded.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace coldtrace::server::pages {
namespace {

std::string_view extension(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
}

// Served files by extension; html (templates) and json (strings) stay inside the server.
std::string_view content_type_of(std::string_view name) {
  const auto ext = extension(name);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "webmanifest") return "application/manifest+json";
  return {};
}

std::string content_hash(std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int size = 0;
  if (EVP_Digest(body.data(), body.size(), md.data(), &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("assets: SHA-256 failed");
  return to_hex(bytes_view{md.data(), 8});
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  // A list of entity tags, possibly weak (W/"..."), or *.
  if (if_none_match.find('*') != std::string_view::npos) return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

}  // namespace

asset_store::asset_store() {
  for (const auto& f : embedded_files()) {
    files_.emplace(std::string{f.name}, f.data);
    const auto type = content_type_of(f.name);
    if (!type.empty())
      served_.emplace(std::string{f.name}, asset{f.data, std::string{type}, content_hash(f.data)});
  }
}

void asset_store::add(std::string name, std::string body) {
  auto& kept = owned_[name] = std::move(body);
  const auto type = content_type_of(name);
  if (type.empty()) throw std::invalid_argument("assets: no content type for " + name);
  served_.insert_or_assign(std::move(name), asset{kept, std::string{type}, content_hash(kept)});
}

std::string_view asset_store::file(std::string_view name) const {
  const auto it = files_.find(name);
  if (it == files_.end()) throw std::out_of_range("assets: no embedded file " + std::string{name});
  return it->second;
}

std::string asset_store::url(std::string_view name) const {
  const auto it = served_.find(name);
  if (it == served_.end()) throw std::out_of_range("assets: no served file " + std::string{name});
  return "/assets/" + it->first + "?v=" + it->second.hash;
}

response asset_store::serve(const request& req, std::string_view name) const {
  const auto it = served_.find(name);
  if (it == served_.end()) return text_response(404, "no such asset\n");
  const auto& a = it->second;
  const std::string etag = "\"" + a.hash + "\"";
  response res;
  res.content_type = a.content_type;
  res.fields.set("ETag", etag);
  res.fields.set("X-Content-Type-Options", "nosniff");
  const auto version = query_param(req, "v");
  res.fields.set("Cache-Control",
                 version == a.hash ? "public, max-age=31536000, immutable" : "no-cache");
  if (auto inm = req.fields.find("If-None-Match"); inm && etag_matches(*inm, etag)) {
    res.status = 304;
    return res;
  }
  res.body.assign(a.body);
  return res;
}

void add_security_headers(response& res, bool camera) {
  res.fields.set("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: "
                 "blob:; connect-src 'self'; media-src 'self' blob:; font-src 'self'; "
                 "manifest-src 'self'; base-uri 'none'; form-action 'self'; "
                 "frame-ancestors 'none'");
  res.fields.set("X-Content-Type-Options", "nosniff");
  // Never to another site (a code's URL names the code); to our own pages, so that a /c/ view
  // reached from one of them is told apart from a scan (pages.cpp, page_scan_kind).
  res.fields.set("Referrer-Policy", "same-origin");
  res.fields.set("X-Frame-Options", "DENY");
  res.fields.set("Cross-Origin-Opener-Policy", "same-origin");
  res.fields.set("Permissions-Policy", camera ? "camera=(self), microphone=(), geolocation=()"
                                              : "camera=(), microphone=(), geolocation=()");
}

}  // namespace coldtrace::server::pages
