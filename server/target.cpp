#include "server/target.hpp"

#include <boost/url/parse.hpp>

#include <array>

namespace coldtrace::server {
namespace {

// Characters that stand for themselves in an origin-form target (RFC 3986: unreserved,
// sub-delims, ':', '@', and the '/' and '?' that separate), except '+', which a query decodes
// to a space: a target of these alone needs no decoding and is valid as it stands.
constexpr std::array<bool, 256> plain_table() {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (char c : std::string_view("-._~!$&'()*,;=:@/?")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr auto plain = plain_table();

bool is_plain_origin_form(std::string_view target) {
  if (!target.starts_with('/')) return false;
  for (unsigned char c : target)
    if (!plain[c]) return false;
  return true;
}

boost::system::result<boost::urls::url_view> parse(std::string_view target) {
  if (target.starts_with('/')) return boost::urls::parse_origin_form(target);
  return boost::urls::parse_absolute_uri(target);
}

}  // namespace

bool split_target(std::string_view target, path_segments& out) {
  out.parts.clear();
  out.owned.clear();
  if (is_plain_origin_form(target)) {
    auto path = target.substr(0, target.find('?'));
    if (path == "/") return true;
    path.remove_prefix(1);
    for (;;) {
      const auto slash = path.find('/');
      out.parts.push_back(path.substr(0, slash));
      if (slash == std::string_view::npos) return true;
      path.remove_prefix(slash + 1);
    }
  }
  auto url = parse(target);
  if (!url) return false;
  for (auto s : url->segments()) out.owned.push_back(s);
  for (const auto& s : out.owned) out.parts.push_back(s);  // after: `owned` no longer moves
  return true;
}

std::optional<std::string> query_value(std::string_view target, std::string_view name) {
  if (is_plain_origin_form(target)) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    auto query = target.substr(q + 1);
    for (;;) {
      const auto amp = query.find('&');
      const auto param = query.substr(0, amp);
      const auto eq = param.find('=');
      if (param.substr(0, eq) == name)
        return std::string(eq == std::string_view::npos ? std::string_view{}
                                                        : param.substr(eq + 1));
      if (amp == std::string_view::npos) return std::nullopt;
      query.remove_prefix(amp + 1);
    }
  }
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  auto params = url->params();
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

}  // namespace coldtrace::server
