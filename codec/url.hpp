// Code URLs: https://<host>/c/<digits>. Emitted lowercase; parsed case-insensitively in the
// scheme, host and path (some phone cameras upper-case a whole QR payload).
#pragma once

#include "codec/bytes.hpp"
#include "codec/error.hpp"

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

}  // namespace coldtrace::codec
