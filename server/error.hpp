// Errors the HTTP layer itself raises: malformed bodies, unknown routes, limits. They use
// the project's error type (codec/error.hpp) so one table maps every error to a status.
#pragma once

#include "codec/error.hpp"

#include <string>

namespace coldtrace::server {

enum class errc {
  malformed_json = 1,  // the body is not JSON at all
  not_an_object,       // JSON, but not the object the endpoint takes
  unknown_field,       // a member the endpoint does not accept (no mass assignment)
  missing_field,
  wrong_type,
  bad_target,   // the request target is not a valid origin-form URL
  bad_request,  // the HTTP message itself is malformed
  not_found,
  method_not_allowed,
  body_too_large,
  header_too_large,
  unauthorized,
  forbidden,
  internal,                // a bug; the details go to the log, not to the client
  duplicate_key,           // one key twice in a JSON object
  unsupported_media_type,  // a body that is not declared application/json
};

const boost::system::error_category& category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

inline error fail(errc e, std::string message) {
  return {make_error_code(e), std::move(message)};
}

// The same, with the message's catalogue key and parameters (server/messages.cpp).
inline error fail(errc e, std::string message, std::string detail, message_args args) {
  return {make_error_code(e), std::move(message), std::move(detail), std::move(args)};
}

}  // namespace coldtrace::server

template <>
struct boost::system::is_error_code_enum<coldtrace::server::errc> : std::true_type {};
