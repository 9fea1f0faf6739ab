#include "codec/url.hpp"

#include "codec/digits.hpp"

#include <algorithm>

namespace coldtrace::codec {
namespace {

constexpr std::string_view scheme = "https://";
constexpr std::string_view code_path = "/c/";

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(),
                                                 [](char a, char b) { return a == lower(b); });
}

// A DNS name or IPv4 address, optionally with a port. Returns it lowercased.
result<std::string> normalize_host(std::string_view host) {
  if (host.empty()) return fail(errc::bad_url, "the URL has no host");
  if (host.size() > 253 + 6) return fail(errc::bad_url, "the URL's host is too long");
  std::string out;
  out.reserve(host.size());
  auto colon = host.find(':');
  auto name = host.substr(0, colon);
  if (name.empty()) return fail(errc::bad_url, "the URL has no host name");
  for (char c : name) {
    char l = lower(c);
    if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-' || l == '.'))
      return fail(errc::bad_url, std::string("the URL's host contains '") + c +
                                     "', which is not allowed in a host name");
    out.push_back(l);
  }
  if (colon != std::string_view::npos) {
    auto port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoul(std::string(port)) > 65535 || std::stoul(std::string(port)) == 0)
      return fail(errc::bad_url, "the URL's port is not a number from 1 to 65535");
    out.push_back(':');
    out.append(port);
  }
  return out;
}

}  // namespace

result<std::string> make_code_url(std::string_view host, bytes_view code) {
  auto h = normalize_host(host);
  if (!h) return h.error();
  std::string url(scheme);
  url += *h;
  url += code_path;
  url += to_digits(code);
  return url;
}

result<code_url> parse_code_url(std::string_view url) {
  if (!iequals_prefix(url, scheme)) {
    if (iequals_prefix(url, "http://"))
      return fail(errc::bad_url, "code URLs start with https://, not http://");
    return fail(errc::bad_url, "a code URL starts with https://");
  }
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  if (slash == std::string_view::npos)
    return fail(errc::bad_url, "the URL has no path; a code URL ends in /c/ and digits");
  auto host = normalize_host(rest.substr(0, slash));
  if (!host) return host.error();
  auto path = rest.substr(slash);
  if (!iequals_prefix(path, code_path))
    return fail(errc::bad_url, "the URL's path does not start with /c/, so it is not a code");
  auto code = from_digits(path.substr(code_path.size()));
  if (!code) return code.error();
  return code_url{std::move(*host), std::move(*code)};
}

result<bytes> parse_code_text(std::string_view text) {
  return parse_own_code_text(text, {});
}

result<own_hosts> own_hosts::of(std::span<const std::string> hosts) {
  own_hosts out;
  for (const auto& h : hosts) {
    auto n = normalize_host(h);
    if (!n) return n.error();
    if (!out.contains(*n)) out.hosts_.push_back(std::move(*n));
  }
  return out;
}

bool own_hosts::contains(std::string_view lowercased_host) const {
  return std::find(hosts_.begin(), hosts_.end(), lowercased_host) != hosts_.end();
}

result<bytes> parse_own_code_text(std::string_view text, const own_hosts& own) {
  // Scanners often add a trailing newline or spaces; nothing else is forgiven.
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (!text.empty() && text.front() >= '0' && text.front() <= '9') return from_digits(text);
  auto u = parse_code_url(text);
  if (!u) return u.error();
  if (!own.empty() && !own.contains(u->host))
    return fail(errc::foreign_host, "the code's URL names the host \"" + u->host +
                                        "\", not this platform's: a copied label");
  return std::move(u->code);
}

}  // namespace coldtrace::codec
