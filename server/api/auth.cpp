#include "server/api/auth.hpp"

#include "server/error.hpp"

namespace coldtrace::server::api {

result<storage::actor> authenticate(storage::ledger& ledger, const request& req, context& ctx) {
  auto header = req.fields.find("Authorization");
  if (!header)
    return fail(errc::unauthorized,
                "this endpoint needs an \"Authorization: Bearer <token>\" header");
  std::string_view value = *header;
  constexpr std::string_view scheme = "bearer ";
  // The scheme is case-insensitive (RFC 9110 §11.1); the token itself is not.
  if (value.size() <= scheme.size() || !iequals(value.substr(0, scheme.size()), scheme))
    return fail(errc::unauthorized, "the Authorization header must be \"Bearer <token>\"");
  auto token = value.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  auto by = ledger.authenticate(token);
  if (!by) return by.error();
  ctx.unit = std::to_string(by->unit);
  return by;
}

}  // namespace coldtrace::server::api
