// The one place that turns an error into an HTTP status and the body
// {"error":{"code":"...","message":"..."}}. Handlers return errors; they never build error
// bodies. Each folder's error category registers a table here (codec's and ours are built
// in; storage adds its own with register_errors at start-up).
#pragma once

#include "codec/error.hpp"
#include "server/error.hpp"
#include "server/http.hpp"
#include "server/pages/lang.hpp"

#include <span>
#include <string_view>

namespace coldtrace::server {

struct error_mapping {
  int value;              // the enum value within its category
  unsigned status;        // the HTTP status it answers with
  std::string_view code;  // the machine-readable "code" of the body, e.g. "bad_credit_code"
};

// Registers (or replaces) the table for a category. Call it before serving; lookups may run
// concurrently with it, but a table changing under live traffic is surprising to clients.
void register_errors(const boost::system::error_category& category,
                     std::span<const error_mapping> table);

struct http_error {
  unsigned status = 500;
  std::string code = "internal";
  bool mapped = false;  // false: nobody registered this error, so it is treated as a bug
};

http_error map_error(const boost::system::error_code& ec);

// The response for an error, its message in `l` (server/messages.hpp). An unmapped error
// answers 500 with a generic message, because its text was never meant for a client; the
// caller logs the real one. Chinese is the default, as for the pages.
response error_response(const error& e, pages::lang l = pages::lang::zh);
response error_response(errc e, std::string message, pages::lang l = pages::lang::zh);

}  // namespace coldtrace::server
