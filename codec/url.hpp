// Code URLs: https://<host>/c/<digits>. Emitted lowercase; parsed case-insensitively in the
// scheme, host and path (some phone cameras upper-case a whole QR payload).
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

#include <span>
#include <string>
#include <vector>

namespace coldtrace::codec {

// `host` may carry a port ("example.org:8443"); it is validated and lowercased.
result<std::string> make_code_url(std::string_view host, bytes_view code);

struct code_url {
  std::string host;  // lowercased
  bytes code;
};
result<code_url> parse_code_url(std::string_view url);

// A code URL, or its bare digits.
result<bytes> parse_code_text(std::string_view text);

// The hosts whose code URLs are the platform's own: the public URL's host and any the
// operator adds (the old one after a domain move). A code URL under any other host is a
// counterfeit label even when its digits are genuine (DESIGN §3).
class own_hosts {
 public:
  own_hosts() = default;
  // Each host as make_code_url takes it; fails on one that is not a valid host.
  static result<own_hosts> of(std::span<const std::string> hosts);
  bool contains(std::string_view lowercased_host) const;
  bool empty() const { return hosts_.empty(); }

 private:
  std::vector<std::string> hosts_;  // lowercased
};

// parse_code_text, and a URL's host must be one of `own`, or it fails with
// errc::foreign_host (verdict forged). Bare digits name no host and pass.
result<bytes> parse_own_code_text(std::string_view text, const own_hosts& own);

}  // namespace coldtrace::codec
